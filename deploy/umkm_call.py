#!/usr/bin/python3
"""Calls a Sahabat UMKM gRPC method from the command line (a small grpcurl).

Uses Debian's python3-grpcio and python3-protobuf (/usr/bin/python3). Message
classes are generated on the fly with protoc from protos/ (and the googleapis
protos in node_modules/google-proto-files); methods are called generically by
name, so no generated gRPC stubs are needed. Requests and responses are JSON
in proto field names.

  export UMKM_TOKEN=$(cat .demo/official.token)
  deploy/umkm_call.py ListBusinesses '{"filter": "kecamatan_code = \\"35.73.02\\"", "page_size": 5}'
  deploy/umkm_call.py GetBusiness '{"name": "businesses/..."}'
  deploy/umkm_call.py --purpose=duplicate_check GetBusiness '{"name": "businesses/...", "view": "BUSINESS_VIEW_FULL"}'
  deploy/umkm_call.py --health readiness
  deploy/umkm_call.py --list

Options: --target HOST:PORT (default $UMKM_TARGET or 127.0.0.1:50051),
--token JWT (default $UMKM_TOKEN), --purpose CODE (default $UMKM_PURPOSE; the
x-umkm-purpose header, needed for full NIKs), --wait SECONDS (with --health: poll until
SERVING). Errors print the status code, message and google.rpc.Status details
and exit 1. Also importable (Client) by deploy/demo.sh.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import grpc
from google.protobuf import json_format, symbol_database

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEALTH_STATUS = {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}


def _closure(roots, start):
    """start plus its transitive imports, minus google/protobuf (built in)."""
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


def load_protos(out_dir=None, proto_root=None, googleapis=None, protoc="protoc"):
    """Generates Python message modules for every contract and imports them.
    Returns the list of imported module names."""
    proto_root = proto_root or os.path.join(REPO, "protos")
    googleapis = googleapis or os.path.join(REPO, "node_modules", "google-proto-files")
    out_dir = out_dir or tempfile.mkdtemp(prefix="umkm-call-")
    roots = [proto_root, googleapis] + [d for d in ("/usr/include",) if os.path.isdir(d)]
    ours = sorted(os.path.relpath(p, proto_root)
                  for p in glob.glob(os.path.join(proto_root, "umkm", "**", "*.proto"), recursive=True))
    files = _closure(roots, ours + ["google/rpc/status.proto", "google/rpc/error_details.proto"])
    subprocess.run([protoc] + [f"-I{r}" for r in roots] + [f"--python_out={out_dir}"] + files, check=True)
    if out_dir not in sys.path:
        sys.path.insert(0, out_dir)
    modules = [f[:-len(".proto")].replace("/", ".") + "_pb2" for f in files]
    for m in modules:
        __import__(m)
    return modules


def _methods():
    """All methods of the loaded contracts: {"pkg.Service/Method": MethodDescriptor}."""
    out = {}
    for name in list(sys.modules):
        mod = sys.modules[name]
        desc = getattr(mod, "DESCRIPTOR", None)
        if name.endswith("_pb2") and desc is not None and hasattr(desc, "services_by_name"):
            for svc in desc.services_by_name.values():
                for m in svc.methods:
                    out[f"{svc.full_name}/{m.name}"] = m
    return out


def resolve(method):
    """Accepts pkg.Service/Method, pkg.Service.Method, Service/Method or just
    Method (when unique). Returns (full name, MethodDescriptor)."""
    methods = _methods()
    key = method.lstrip("/")
    if "/" not in key and "." in key:
        svc, _, name = key.rpartition(".")
        key = f"{svc}/{name}"
    found = [f for f in methods if f == key or f.endswith("." + key) or f.split("/")[1] == key]
    if len(found) != 1:
        raise SystemExit(f"unknown or ambiguous method {method!r} ({len(found)} matches); --list shows them")
    return found[0], methods[found[0]]


def message_class(descriptor):
    return symbol_database.Default().GetSymbol(descriptor.full_name)


def describe_error(err):
    """A readable dict of a failed call: code, message, decoded details."""
    out = {"code": err.code().name, "message": err.details()}
    trailers = dict(err.trailing_metadata() or ())
    raw = trailers.get("grpc-status-details-bin")
    if raw:
        from google.rpc import status_pb2
        status = status_pb2.Status.FromString(raw)
        details = []
        for any_msg in status.details:
            cls = symbol_database.Default().GetSymbol(any_msg.TypeName())
            msg = cls()
            any_msg.Unpack(msg)
            details.append({"@type": any_msg.TypeName(),
                            **json_format.MessageToDict(msg, preserving_proto_field_name=True)})
        out["details"] = details
    return out


class Client:
    """A channel to one service plus a bearer token. Not thread-safe."""

    def __init__(self, target, token=None, purpose=None):
        self.channel = grpc.insecure_channel(target)
        self.token = token
        self.purpose = purpose  # x-umkm-purpose, for reads of personal data in full

    def call(self, method, request=None, timeout=30):
        """Calls method with request (dict or JSON text); returns the response
        as a dict. Raises grpc.RpcError on a non-OK status."""
        full, desc = resolve(method)
        req_cls, resp_cls = message_class(desc.input_type), message_class(desc.output_type)
        if isinstance(request, str):
            req = json_format.Parse(request or "{}", req_cls())
        else:
            req = json_format.ParseDict(request or {}, req_cls())
        stub = self.channel.unary_unary("/" + full, request_serializer=req_cls.SerializeToString,
                                        response_deserializer=resp_cls.FromString)
        metadata = [("authorization", f"Bearer {self.token}")] if self.token else []
        if self.purpose:
            metadata.append(("x-umkm-purpose", self.purpose))
        resp = stub(req, metadata=metadata or None, timeout=timeout)
        return json_format.MessageToDict(resp, preserving_proto_field_name=True)

    def health(self, service="", timeout=5):
        """grpc.health.v1 Check, hand-encoded (no health .proto for Python on
        Debian). Returns SERVING, NOT_SERVING, ..."""
        stub = self.channel.unary_unary("/grpc.health.v1.Health/Check")
        data = service.encode()
        resp = stub((b"\x0a" + bytes([len(data)]) + data) if data else b"", timeout=timeout)
        return HEALTH_STATUS.get(resp[1] if len(resp) >= 2 and resp[0] == 0x08 else 0, "UNKNOWN")

    def wait_serving(self, service, seconds):
        """Polls health until SERVING; returns True, or False after seconds."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                if self.health(service, timeout=2) == "SERVING":
                    return True
            except grpc.RpcError:
                pass
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)

    def close(self):
        self.channel.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("method", nargs="?", help="e.g. ListBusinesses or umkm.registry.v1.RegistryService/GetBusiness")
    parser.add_argument("request", nargs="?", default="{}", help="request as JSON (default {})")
    parser.add_argument("--target", default=os.environ.get("UMKM_TARGET", "127.0.0.1:50051"))
    parser.add_argument("--token", default=os.environ.get("UMKM_TOKEN"))
    parser.add_argument("--purpose", default=os.environ.get("UMKM_PURPOSE"),
                        help="x-umkm-purpose for full personal data, e.g. duplicate_check (docs/audit.md)")
    parser.add_argument("--health", metavar="SERVICE", help='health check: "" (liveness) or readiness')
    parser.add_argument("--wait", type=float, default=0, help="with --health: poll up to this many seconds")
    parser.add_argument("--list", action="store_true", help="list the methods")
    parser.add_argument("--protoc", default="protoc")
    args = parser.parse_args()

    client = Client(args.target, args.token, args.purpose)
    try:
        if args.health is not None:
            if args.wait:
                ok = client.wait_serving(args.health, args.wait)
                print("SERVING" if ok else "not SERVING after %.0fs" % args.wait)
                return 0 if ok else 1
            status = client.health(args.health)
            print(status)
            return 0 if status == "SERVING" else 1
        load_protos(protoc=args.protoc)
        if args.list:
            for full in sorted(_methods()):
                print(full)
            return 0
        if not args.method:
            parser.error("a method is required (or --health / --list)")
        print(json.dumps(client.call(args.method, args.request), indent=2, ensure_ascii=False))
        return 0
    except grpc.RpcError as err:
        print(json.dumps(describe_error(err), indent=2, ensure_ascii=False), file=sys.stderr)
        return 1
    finally:
        client.close()


if __name__ == "__main__":
    sys.exit(main())
