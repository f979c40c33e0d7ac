#include "common/tls/loopback.h"

#include <string>

#include "gtest/gtest.h"

namespace umkm::tls {
namespace {

struct Case {
  std::string address;
  bool loopback;
};

class IsLoopbackTest : public ::testing::TestWithParam<Case> {};

TEST_P(IsLoopbackTest, Classifies) {
  EXPECT_EQ(IsLoopback(GetParam().address), GetParam().loopback)
      << GetParam().address;
}

INSTANTIATE_TEST_SUITE_P(
    Addresses, IsLoopbackTest,
    ::testing::Values(
        Case{"127.0.0.1:50051", true}, Case{"127.0.0.1:0", true},
        Case{"127.9.8.7:1", true}, Case{"localhost:50051", true},
        Case{"LocalHost:50051", true}, Case{"[::1]:50051", true},
        Case{"::1", true}, Case{"[::ffff:127.0.0.1]:5", true},
        Case{"dns:///localhost:50051", true}, Case{"dns:localhost:50051", true},
        Case{"dns://8.8.8.8/127.0.0.1:50051", true},
        Case{"ipv4:127.0.0.1:50051", true}, Case{"ipv6:[::1]:50051", true},
        Case{"unix:/run/umkm.sock", true}, Case{"unix-abstract:umkm", true},
        Case{"0.0.0.0:50051", false}, Case{"[::]:50051", false},
        Case{":50051", false}, Case{"", false}, Case{"10.0.0.5:50051", false},
        Case{"128.0.0.1:50051", false}, Case{"umkm-registry:50051", false},
        Case{"localhost.evil.example:50051", false},
        Case{"127.0.0.1.nip.io:50051", false},
        Case{"dns:///umkm-registry.umkm.svc:50051", false},
        Case{"dns://127.0.0.1/umkm-registry:50051", false},
        Case{"[::ffff:10.0.0.1]:5", false}, Case{"[::1:50051", false}));

}  // namespace
}  // namespace umkm::tls
