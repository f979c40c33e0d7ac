#!/usr/bin/python3
"""Interop test: the real umkm-registry called by an independent gRPC client.

The client is Debian's python3-grpcio (run with /usr/bin/python3, not a pyenv
python3 on PATH). Message classes are generated at test time with
`protoc --python_out` from the repo's protos into a temp dir; methods are
called generically (channel.unary_unary with the message classes'
serializers), so no gRPC Python plugin is needed and the test exercises the
plain wire contract.

The test starts a real redis-server on a free loopback port and the real
registry binary on 127.0.0.1:0 (--port_file), with a temp SQLite directory and
temp key files, mints tokens with umkm-token, checks health, CreateBusiness,
GetBusiness, ListBusinesses with filters, authentication and authorization
failures and a BadRequest error detail, then stops everything and requires a
clean exit. Every wait is a bounded poll.

Usage (ctest passes these, see tests/CMakeLists.txt):
  /usr/bin/python3 registry_interop_test.py --registry BIN --token-tool BIN \
      --redis-server BIN --protoc BIN --proto-root DIR --googleapis DIR
"""

import argparse
import ctypes
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

import grpc

# Filled in by main() before unittest runs.
ARGS = None
STACK = None

HEALTH_CHECK = "/grpc.health.v1.Health/Check"
REGISTRY = "/umkm.registry.v1.RegistryService/"
SERVING = 1
# Bounded polling: at most POLL_ATTEMPTS * POLL_INTERVAL seconds per wait.
POLL_ATTEMPTS = 300
POLL_INTERVAL = 0.05


def wait_until(what, predicate, attempts=POLL_ATTEMPTS, interval=POLL_INTERVAL):
    """Polls predicate until it returns a truthy value; raises after attempts."""
    for _ in range(attempts):
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def free_loopback_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    # If this test process is killed (ctest timeout), take the children along.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def proto_closure(roots, start):
    """Returns start plus every .proto it imports transitively, except the
    google/protobuf well-known types (shipped with the Python runtime)."""
    seen, todo = [], list(start)
    while todo:
        rel = todo.pop()
        if rel in seen or rel.startswith("google/protobuf/"):
            continue
        seen.append(rel)
        path = next((os.path.join(r, rel) for r in roots if os.path.exists(os.path.join(r, rel))), None)
        if path is None:
            raise FileNotFoundError(f"{rel} not found under {roots}")
        with open(path, encoding="utf-8") as f:
            todo += re.findall(r'^\s*import\s+(?:public\s+)?"([^"]+)"\s*;', f.read(), re.M)
    return sorted(seen)


def generate_messages(protoc, roots, out_dir):
    """Generates *_pb2.py for the registry contract and its imports, and makes
    them importable."""
    files = proto_closure(roots, ["umkm/registry/v1/registry.proto", "google/rpc/status.proto",
                                  "google/rpc/error_details.proto"])
    cmd = [protoc] + [f"-I{r}" for r in roots] + [f"--python_out={out_dir}"] + files
    subprocess.run(cmd, check=True)
    sys.path.insert(0, out_dir)


def encode_health_request(service):
    # grpc.health.v1.HealthCheckRequest { string service = 1; } (hand-encoded:
    # Debian ships no health .proto for Python).
    data = service.encode()
    assert len(data) < 128
    return b"\x0a" + bytes([len(data)]) + data if data else b""


def decode_health_status(data):
    # HealthCheckResponse { ServingStatus status = 1; }: 0x08 <varint>.
    return data[1] if len(data) >= 2 and data[0] == 0x08 else 0


class Stack:
    """The processes under test: redis-server and umkm-registry."""

    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="umkm-interop-")
        self.redis = None
        self.registry = None
        self.registry_log = os.path.join(self.tmp, "registry.log")
        self.channel = None

    def write_key(self, name):
        path = os.path.join(self.tmp, name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        return path

    def start_redis(self):
        # A free port can be taken between probing and binding: retry a few
        # times with a new port.
        for _ in range(5):
            port = free_loopback_port()
            proc = subprocess.Popen(
                [self.args.redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", self.tmp, "--daemonize", "no"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)

            def answers():
                if proc.poll() is not None:
                    return "exited"
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                        s.sendall(b"PING\r\n")
                        return "up" if s.recv(16).startswith(b"+PONG") else None
                except OSError:
                    return None

            if wait_until("redis-server to answer PING", answers) == "up":
                self.redis = proc
                self.redis_port = port
                return
        raise AssertionError("redis-server did not start on a free port")

    def start_registry(self):
        self.auth_key = self.write_key("auth.key")
        privacy_key = self.write_key("privacy.key")
        data_dir = os.path.join(self.tmp, "data")
        os.mkdir(data_dir)
        port_file = os.path.join(self.tmp, "registry.port")
        log = open(self.registry_log, "wb")
        self.registry = subprocess.Popen(
            [self.args.registry, "--listen=127.0.0.1:0", f"--port_file={port_file}",
             f"--data_dir={data_dir}", f"--redis_url=redis://127.0.0.1:{self.redis_port}",
             f"--auth_key_file={self.auth_key}", f"--privacy_key_file={privacy_key}",
             "--drain_timeout=5s"],
            stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        log.close()

        def port():
            if self.registry.poll() is not None:
                raise AssertionError(f"umkm-registry exited with {self.registry.returncode}:\n{self.log_tail()}")
            try:
                with open(port_file, encoding="utf-8") as f:
                    text = f.read().strip()
                return int(text) if text else None
            except (OSError, ValueError):
                return None

        self.port = wait_until("umkm-registry to write its port file", port)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        grpc.channel_ready_future(self.channel).result(timeout=15)

        def ready():
            try:
                return self.health("readiness") == SERVING
            except grpc.RpcError:
                return False

        wait_until("readiness SERVING", ready)

    def health(self, service):
        call = self.channel.unary_unary(HEALTH_CHECK, request_serializer=None, response_deserializer=None)
        return decode_health_status(call(encode_health_request(service), timeout=5))

    def mint(self, role, key_file=None, **claims):
        cmd = [self.args.token_tool, f"--key_file={key_file or self.auth_key}", f"--sub=interop-{role}",
               f"--role={role}", "--ttl=1h"] + [f"--{k}={v}" for k, v in claims.items()]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=30).stdout.strip()
        assert out.count(".") == 2, f"umkm-token printed no JWT: {out!r}"
        return out

    def log_tail(self, lines=40):
        try:
            with open(self.registry_log, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self):
        """Stops both processes with SIGTERM; returns the registry's exit code."""
        if self.channel is not None:
            self.channel.close()
        code = None
        for proc in (self.registry, self.redis):
            if proc is None or proc.poll() is not None:
                continue
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self.registry is not None:
            code = self.registry.returncode
        return code

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def rpc(method, request, response_cls, token=None, timeout=10):
    """Unary call by method name; returns (response, call) so tests can read
    trailing metadata. Raises grpc.RpcError on a non-OK status."""
    call = STACK.channel.unary_unary(REGISTRY + method, request_serializer=lambda m: m.SerializeToString(),
                                     response_deserializer=response_cls.FromString)
    metadata = [("authorization", f"Bearer {token}")] if token else None
    return call.with_call(request, metadata=metadata, timeout=timeout)


def sample_business(nik="3573021508900001", kelurahan="35.73.02.1004", postal_code="65119"):
    """A valid synthetic business (domain.md's test NIK; no real person); the
    postal code must be the kelurahan's (Kiduldalem's by default)."""
    from umkm.common.v1 import geo_pb2
    from umkm.registry.v1 import registry_pb2
    return registry_pb2.Business(
        # Quotes, unicode and SQL-looking text must come back exactly as sent.
        display_name="Keripik Tempe Bu Sri 'Sanan' \u2713 -- ; DROP TABLE businesses",
        owner=registry_pb2.Owner(nik=nik, full_name="Sri Rahayu (data sintetis)", phone="081234567890"),
        address=registry_pb2.Address(street="Jl. Sanan No. 1, RT 03/RW 15", kelurahan_code=kelurahan,
                                     postal_code=postal_code),
        location=geo_pb2.LatLng(latitude=-7.9805, longitude=112.6343),
        capital_idr=50_000_000,
        kbli_code="10710",
    )


class RegistryInteropTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        from google.rpc import error_details_pb2, status_pb2
        from umkm.common.v1 import business_pb2
        from umkm.registry.v1 import registry_pb2
        cls.pb = registry_pb2
        cls.common = business_pb2
        cls.status_pb2 = status_pb2
        cls.error_details_pb2 = error_details_pb2
        cls.official = STACK.mint("official", agency="DISKOPINDAG")
        cls.bank = STACK.mint("bank", partner="BANK_JATIM")

    def create(self, business, token=None, request_id=None):
        req = self.pb.CreateBusinessRequest(business=business, request_id=request_id or str(uuid.uuid4()))
        return rpc("CreateBusiness", req, self.pb.Business, token=token or self.official)[0]

    def list_names(self, filter_text):
        names, token = [], ""
        for _ in range(100):  # bounded paging
            resp, _ = rpc("ListBusinesses", self.pb.ListBusinessesRequest(
                filter=filter_text, page_size=100, page_token=token), self.pb.ListBusinessesResponse,
                token=self.official)
            names += [b.name for b in resp.businesses]
            token = resp.next_page_token
            if not token:
                return names, resp.total_size
        self.fail("ListBusinesses did not end within 100 pages")

    def total(self):
        resp, _ = rpc("ListBusinesses", self.pb.ListBusinessesRequest(page_size=1), self.pb.ListBusinessesResponse,
                      token=self.official)
        return resp.total_size

    def assert_code(self, code, fn):
        with self.assertRaises(grpc.RpcError) as ctx:
            fn()
        self.assertEqual(ctx.exception.code(), code, ctx.exception.details())
        return ctx.exception

    def test_health_liveness_and_readiness_need_no_token(self):
        self.assertEqual(STACK.health(""), SERVING)
        self.assertEqual(STACK.health("readiness"), SERVING)

    def test_create_get_list_round_trip(self):
        sent = sample_business()
        request_id = str(uuid.uuid4())
        created = self.create(sent, request_id=request_id)
        self.assertRegex(created.name, r"^businesses/[^/]+$")
        self.assertEqual(created.display_name, sent.display_name)
        self.assertEqual(created.address.kecamatan_code, "35.73.02")  # derived from the kelurahan
        self.assertEqual(created.scale, self.common.SCALE_MIKRO)  # derived from capital
        self.assertEqual(created.owner.phone, "+6281234567890")  # normalised to E.164
        self.assertFalse(created.owner.nik_non_local)
        self.assertTrue(created.etag)
        self.assertTrue(created.HasField("create_time"))

        # Same request_id: the first result, nothing new.
        again = self.create(sent, request_id=request_id)
        self.assertEqual(again.name, created.name)

        got, _ = rpc("GetBusiness", self.pb.GetBusinessRequest(name=created.name), self.pb.Business,
                     token=self.official)
        self.assertEqual(got.name, created.name)
        self.assertEqual(got.display_name, sent.display_name)
        self.assertEqual(got.address.kelurahan_code, "35.73.02.1004")
        self.assertEqual(got.etag, created.etag)

        in_lowokwaru = self.create(sample_business(kelurahan="35.73.05.1004", postal_code="65144"))

        names, total = self.list_names('kelurahan_code = "35.73.02.1004"')
        self.assertIn(created.name, names)
        self.assertNotIn(in_lowokwaru.name, names)
        self.assertEqual(names.count(created.name), 1)  # the repeated create made nothing new
        self.assertEqual(total, len(names))

        names, _ = self.list_names('kecamatan_code = "35.73.02" AND scale = SCALE_MIKRO')
        self.assertIn(created.name, names)
        names, _ = self.list_names('kecamatan_code = "35.73.05"')
        self.assertIn(in_lowokwaru.name, names)
        self.assertNotIn(created.name, names)

    def test_no_token_is_unauthenticated(self):
        self.assert_code(grpc.StatusCode.UNAUTHENTICATED, lambda: rpc(
            "ListBusinesses", self.pb.ListBusinessesRequest(), self.pb.ListBusinessesResponse))

    def test_token_signed_with_another_key_is_unauthenticated(self):
        other_key = STACK.write_key("other.key")
        forged = STACK.mint("admin", key_file=other_key)
        self.assert_code(grpc.StatusCode.UNAUTHENTICATED, lambda: rpc(
            "ListBusinesses", self.pb.ListBusinessesRequest(), self.pb.ListBusinessesResponse, token=forged))

    def test_bank_token_is_permission_denied(self):
        self.assert_code(grpc.StatusCode.PERMISSION_DENIED, lambda: rpc(
            "ListBusinesses", self.pb.ListBusinessesRequest(), self.pb.ListBusinessesResponse, token=self.bank))
        self.assert_code(grpc.StatusCode.PERMISSION_DENIED, lambda: self.create(
            sample_business(), token=self.bank))

    def test_invalid_nik_names_the_field_in_bad_request(self):
        # Day 32 (domain.md's invalid vector).
        bad = sample_business(nik="3573023208900001")
        before = self.total()
        err = self.assert_code(grpc.StatusCode.INVALID_ARGUMENT, lambda: self.create(bad))
        trailers = dict(err.trailing_metadata() or ())
        self.assertIn("grpc-status-details-bin", trailers)
        status = self.status_pb2.Status.FromString(trailers["grpc-status-details-bin"])
        self.assertEqual(status.code, grpc.StatusCode.INVALID_ARGUMENT.value[0])
        fields = []
        for detail in status.details:
            if detail.Is(self.error_details_pb2.BadRequest.DESCRIPTOR):
                bad_request = self.error_details_pb2.BadRequest()
                detail.Unpack(bad_request)
                fields += [v.field for v in bad_request.field_violations]
        self.assertIn("business.owner.nik", fields)
        # Nothing was written.
        self.assertEqual(self.total(), before)


def main():
    global ARGS, STACK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", required=True)
    parser.add_argument("--token-tool", required=True)
    parser.add_argument("--redis-server", default=shutil.which("redis-server") or "/usr/bin/redis-server")
    parser.add_argument("--protoc", default=shutil.which("protoc") or "/usr/bin/protoc")
    parser.add_argument("--proto-root", required=True)
    parser.add_argument("--googleapis", required=True)
    ARGS, rest = parser.parse_known_args()
    for path in (ARGS.registry, ARGS.token_tool, ARGS.redis_server, ARGS.protoc):
        if not os.access(path, os.X_OK):
            print(f"registry_interop: {path} is not an executable; build first (deploy/setup.sh)", file=sys.stderr)
            return 1

    STACK = Stack(ARGS)
    ok = False
    try:
        roots = [ARGS.proto_root, ARGS.googleapis] + [d for d in ("/usr/include",) if os.path.isdir(d)]
        gen_dir = os.path.join(STACK.tmp, "gen")
        os.mkdir(gen_dir)
        generate_messages(ARGS.protoc, roots, gen_dir)
        STACK.start_redis()
        STACK.start_registry()
        result = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2).result
        ok = result.wasSuccessful()
    finally:
        code = STACK.stop()
        if STACK.registry is not None and code != 0:
            print(f"registry_interop: umkm-registry exited with {code} after SIGTERM "
                  f"(want 0: drain and stop cleanly)", file=sys.stderr)
            ok = False
        if not ok:
            print("---- umkm-registry log (tail) ----\n" + STACK.log_tail(), file=sys.stderr)
        STACK.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
