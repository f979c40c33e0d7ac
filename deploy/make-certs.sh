#!/usr/bin/env bash
# Makes the platform's TLS certificates with openssl (EC P-256): one CA, and
# for each service a key and a certificate it uses both as the server (its
# listener) and as a client (mutual TLS on its calls to other services).
#
#   deploy/make-certs.sh [--days N] [--namespace NS] [--fake] OUT_DIR SERVICE...
#   deploy/make-certs.sh certs registry visits
#
# Writes
#   OUT_DIR/ca.crt, OUT_DIR/ca.key   the CA; made once, reused when present.
#                                    Keep ca.key offline: it signs callers.
#   OUT_DIR/<service>/tls.crt, tls.key, ca.crt
#                                    the files of Secret umkm-<service>-tls
#                                    (README.md, "Kubernetes")
# Each certificate names umkm-<service>, umkm-<service>.<NS>,
# umkm-<service>.<NS>.svc and umkm-<service>.<NS>.svc.cluster.local
# (NS defaults to umkm). --days defaults to 397. --fake marks every file
# "FAKE" above its PEM block, for the dev overlay's committed copies
# (k8s/overlays/dev/tls), which are public and never protect real data.
# Certificates are read at start: after renewing, restart the pods.
set -euo pipefail

days=397
namespace=umkm
fake=""
while (($#)); do
  case "$1" in
    --days) days="$2"; shift 2 ;;
    --namespace) namespace="$2"; shift 2 ;;
    --fake) fake=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    --*) echo "make-certs: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if (($# < 2)); then
  echo "usage: deploy/make-certs.sh [--days N] [--namespace NS] [--fake] OUT_DIR SERVICE..." >&2
  exit 2
fi
out="$1"; shift
umask 077
mkdir -p "$out"

mark() {  # prepends the FAKE line to a PEM file when --fake
  [ -n "$fake" ] || return 0
  { echo "FAKE dev-only $2 made by deploy/make-certs.sh --fake: public, never for real data"
    cat "$1"; } >"$1.tmp"
  mv "$1.tmp" "$1"
}

if [ ! -f "$out/ca.key" ]; then
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$out/ca.key" -out "$out/ca.crt" -days "$days" \
    -subj "/O=Pemerintah Kota Malang/CN=Sahabat UMKM platform CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  mark "$out/ca.crt" "CA certificate"
  echo "make-certs: new CA $out/ca.crt (key $out/ca.key: keep it offline)"
fi

for service in "$@"; do
  name="umkm-$service"
  dir="$out/$service"
  mkdir -p "$dir"
  cat >"$dir/ext.cnf" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:$name,DNS:$name.$namespace,DNS:$name.$namespace.svc,DNS:$name.$namespace.svc.cluster.local
EXT
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/tls.key" -out "$dir/tls.csr" -subj "/O=Sahabat UMKM/CN=$name" 2>/dev/null
  openssl x509 -req -in "$dir/tls.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days "$days" -extfile "$dir/ext.cnf" \
    -out "$dir/tls.crt" 2>/dev/null
  rm -f "$dir/tls.csr" "$dir/ext.cnf"
  cp "$out/ca.crt" "$dir/ca.crt"
  mark "$dir/tls.crt" "certificate of $name"
  mark "$dir/tls.key" "private key of $name"
  openssl verify -CAfile "$out/ca.crt" "$dir/tls.crt" >/dev/null
  echo "make-certs: $dir/tls.crt for $name (valid $days days)"
done
