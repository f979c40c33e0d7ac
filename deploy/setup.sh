#!/usr/bin/env bash
# Installs everything the build, the demo and the tests need on Debian 12, then
# configures and builds. Safe to run again: it installs only what is missing.
#   deploy/setup.sh [build-dir]        (default: build/release)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake pkg-config clang clang-format
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc protobuf-compiler
  libprotobuf-dev libabsl-dev libhiredis-dev libsqlite3-dev sqlite3 libssl-dev openssl
  googletest libgtest-dev libgmock-dev redis-server redis-tools nghttp2-client
  python3 python3-grpcio python3-protobuf
)
# Node.js and npm come from Debian only where the command is missing: some
# images ship NodeSource's nodejs, which bundles npm and conflicts with
# Debian's npm package.
NODE_PACKAGES=(nodejs npm)
command -v node >/dev/null 2>&1 || APT_PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(npm)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Pinned npm tools: googleapis protos (google-proto-files) and buf.
if [ ! -f node_modules/.package-lock.json ] \
   || ! cmp -s package-lock.json node_modules/.umkm-lock 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.umkm-lock
fi

build_dir="${1:-build/release}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
