// A temporary directory for tests, removed with everything in it when the
// object goes away.
//
//   umkm::testing::TempDir dir;
//   auto db = Database::Open(dir.File("registry.db"));
#pragma once

#include <string>
#include <string_view>

namespace umkm::testing {

// Creates a fresh directory under $TMPDIR (or /tmp) with mkdtemp. Creation
// failure terminates the test binary with a message: without a scratch
// directory no test can run. Move-only; not thread-safe.
class TempDir {
 public:
  TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Removes the directory tree (errors ignored).
  ~TempDir();

  // Absolute path of the directory, without a trailing slash.
  const std::string& path() const { return path_; }
  // path() + "/" + name; does not create anything.
  std::string File(std::string_view name) const;

 private:
  std::string path_;
};

}  // namespace umkm::testing
