#!/usr/bin/env bash
# Lints the project's contracts (protos/umkm/**) with buf: STANDARD + COMMENTS
# minus the two AIP-conflicting rules (configuration in protos/buf.yaml).
#
# The googleapis protos the contracts import live in the pinned npm package
# google-proto-files, outside the source tree, where a buf workspace cannot
# reach them. So protoc (the compiler CMake uses, same import paths) builds an
# image with source info, and buf lints only the umkm/ files of that image.
#
# Usage: tools/buf-lint.sh   (from any directory; exits non-zero on failure)
# Overrides: BUF, PROTOC, UMKM_GOOGLEAPIS_DIR.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
buf="${BUF:-${root}/node_modules/.bin/buf}"
protoc="${PROTOC:-protoc}"
googleapis="${UMKM_GOOGLEAPIS_DIR:-${root}/node_modules/google-proto-files}"

for tool in "${buf}" "${protoc}"; do
  if ! command -v "${tool}" >/dev/null 2>&1; then
    echo "buf-lint: ${tool} not found (run deploy/setup.sh)" >&2
    exit 2
  fi
done
if [[ ! -f "${googleapis}/google/api/field_behavior.proto" ]]; then
  echo "buf-lint: googleapis protos not found in ${googleapis}" >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT

cd "${root}/protos"
mapfile -t files < <(find umkm -name '*.proto' | LC_ALL=C sort)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "buf-lint: no .proto files under protos/umkm" >&2
  exit 2
fi

"${protoc}" -I . -I "${googleapis}" --include_imports --include_source_info \
  -o "${tmp}/image.binpb" "${files[@]}"
"${buf}" lint "${tmp}/image.binpb" --config "${root}/protos/buf.yaml" \
  --path umkm
echo "buf-lint: ${#files[@]} files clean"
