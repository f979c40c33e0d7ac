#!/usr/bin/env bash
# The README's main command: builds everything, starts a local redis-server
# and the registry on an SQLite file, loads 600 synthetic businesses spread
# over all 57 kelurahan of Kota Malang, prints how to call it, and stays in
# the foreground until Ctrl-C (then stops the registry and Redis cleanly).
#
#   deploy/demo.sh            run until Ctrl-C
#   deploy/demo.sh --check    load, verify the data, stop, exit (non-interactive;
#                             same as DEMO_EXIT_AFTER_LOAD=1)
#   deploy/demo.sh --fresh    wipe .demo/ data (keys kept) before starting
#
# Everything lives in .demo/ (git-ignored): dev keys (random, mode 600), the
# SQLite files, Redis' append-only file, logs and tokens. Environment:
# UMKM_SKIP_SETUP=1 skips install and build; UMKM_BUILD_DIR (default
# build/release); DEMO_COUNT (default 600).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

check="${DEMO_EXIT_AFTER_LOAD:-0}"
fresh=0
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    --fresh) fresh=1 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done
count="${DEMO_COUNT:-600}"

build_dir="${UMKM_BUILD_DIR:-build/release}"
if [ "${UMKM_SKIP_SETUP:-0}" != 1 ]; then
  echo "== setup and build ($build_dir): installs missing packages, then compiles"
  deploy/setup.sh "$build_dir"
fi
registry="$build_dir/services/registry/umkm-registry"
token_tool="$build_dir/tools/token/umkm-token"
loader="$build_dir/tools/demo_loader/umkm-demo-loader"
for bin in "$registry" "$token_tool" "$loader"; do
  [ -x "$bin" ] || { echo "demo.sh: $bin was not built" >&2; exit 1; }
done
python=/usr/bin/python3 # Debian's, with python3-grpcio (not a pyenv one on PATH)
call() { "$python" "$root/deploy/umkm_call.py" --target "$target" "$@"; }

demo="$root/.demo"
mkdir -p "$demo"
chmod 700 "$demo"
for pidfile in "$demo/registry.pid" "$demo/redis.pid"; do
  if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "demo.sh: a demo is already running (pid $(cat "$pidfile") in $pidfile); stop it first" >&2
    exit 1
  fi
done
if [ "$fresh" = 1 ]; then
  rm -rf "$demo/data" "$demo/redis"
fi
mkdir -p "$demo/data" "$demo/redis"

# Dev keys: random, created once, readable only by this user. Never reuse
# them outside this machine.
umask 077
for key in auth privacy; do
  if [ ! -s "$demo/$key.key" ]; then
    openssl rand -hex 32 >"$demo/$key.key"
    echo "== created dev key $demo/$key.key"
  fi
  chmod 600 "$demo/$key.key"
done

port_busy() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Bounded wait: wait_for DESCRIPTION TRIES COMMAND... (0.1 s between tries).
wait_for() {
  local what="$1" tries="$2"
  shift 2
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "demo.sh: timed out waiting for $what" >&2
  return 1
}

# SIGTERM, then up to 20 s for a clean exit, then SIGKILL.
# shellcheck disable=SC2317 # called from stop(), the EXIT trap
stop_pid() {
  local what="$1" pid="$2"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  echo "== stopping $what (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "demo.sh: $what did not stop in 20 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
redis_pid=""
registry_pid=""
# shellcheck disable=SC2317 # called through the EXIT trap
stop() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "umkm-registry (drains in-flight calls)" "$registry_pid"
  stop_pid redis-server "$redis_pid"
  rm -f "$demo/registry.pid" "$demo/redis.pid"
  exit "$rc"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Redis on a free loopback port (a system redis may hold 6379). setsid keeps
# Ctrl-C away from the children, so stop() shuts them down in order.
redis_port=$(free_port)
setsid redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$demo/redis" \
  --appendonly yes --save "" --daemonize no --logfile "$demo/redis.log" &
redis_pid=$!
echo "$redis_pid" >"$demo/redis.pid"
wait_for "redis-server on 127.0.0.1:$redis_port" 100 redis-cli -p "$redis_port" ping
echo "== redis-server up on 127.0.0.1:$redis_port (pid $redis_pid, log .demo/redis.log)"

# The registry on 127.0.0.1:50051, or a free port when 50051 is taken.
listen=127.0.0.1:50051
if port_busy 50051; then
  listen=127.0.0.1:0
  echo "== port 50051 is busy; the registry takes a free port"
fi
rm -f "$demo/registry.port"
setsid "$registry" --listen="$listen" --port_file="$demo/registry.port" \
  --data_dir="$demo/data" --redis_url="redis://127.0.0.1:$redis_port" \
  --auth_key_file="$demo/auth.key" --privacy_key_file="$demo/privacy.key" \
  --drain_timeout=10s 2>>"$demo/registry.log" &
registry_pid=$!
echo "$registry_pid" >"$demo/registry.pid"
wait_for "the registry's port file" 300 test -s "$demo/registry.port"
target="127.0.0.1:$(tr -d '[:space:]' <"$demo/registry.port")"
if ! call --health readiness --wait 30 >/dev/null; then
  echo "demo.sh: the registry did not become ready; last log lines:" >&2
  tail -n 20 "$demo/registry.log" >&2
  exit 1
fi
echo "== umkm-registry ready on $target (pid $registry_pid, JSON logs in .demo/registry.log)"

# Tokens: the loader writes as an admin; people get an official's token.
"$token_tool" --key_file="$demo/auth.key" --sub=demo-loader --role=admin --ttl=1h >"$demo/loader.token"
"$token_tool" --key_file="$demo/auth.key" --sub=demo-official --role=official \
  --agency=DISKOPINDAG --ttl=8h >"$demo/official.token"
export UMKM_TOKEN
UMKM_TOKEN="$(cat "$demo/official.token")"

existing=$(call ListBusinesses '{"page_size": 1}' | "$python" -c 'import json,sys; print(json.load(sys.stdin).get("total_size", 0))')
if [ "$existing" -ge "$count" ]; then
  echo "== $existing businesses already loaded in .demo/data (use --fresh to start over)"
else
  echo "== loading $count synthetic businesses (no real personal data)"
  "$loader" --target="$target" --token_file="$demo/loader.token" --count="$count"
fi

# What is there: totals per kecamatan and how many kelurahan are covered.
"$python" - "$target" "$count" <<'PY'
import os
import sys

sys.path.insert(0, "deploy")
import umkm_call

target, want = sys.argv[1], int(sys.argv[2])
client = umkm_call.Client(target, os.environ["UMKM_TOKEN"])
umkm_call.load_protos()
stats = client.call("GetBusinessStats", {})
kelurahan, token = set(), ""
for _ in range(1000):  # bounded paging
    page = client.call("ListBusinesses", {"page_size": 1000, "page_token": token})
    kelurahan |= {b["address"]["kelurahan_code"] for b in page.get("businesses", [])}
    token = page.get("next_page_token", "")
    if not token:
        break
per_kecamatan = ", ".join(f"{r['kecamatan_code']}: {r.get('count', 0)}" for r in stats.get("kecamatan_counts", []))
print(f"== checked through the API: {stats.get('total_count', 0)} businesses in {len(kelurahan)} of 57 kelurahan"
      f" ({per_kecamatan})")
if int(stats.get("total_count", 0)) < want or len(kelurahan) != 57:
    sys.exit(f"demo check failed: want >= {want} businesses over all 57 kelurahan")
PY

cat <<EOF

== The registry is running on $target
   An official's token (8 hours) is in .demo/official.token. In another shell:

     cd $root
     export UMKM_TOKEN=\$(cat .demo/official.token) UMKM_TARGET=$target
     deploy/umkm_call.py ListBusinesses '{"filter": "kecamatan_code = \\"35.73.02\\" AND scale = SCALE_MIKRO", "page_size": 3}'
     deploy/umkm_call.py GetBusinessStats
     deploy/umkm_call.py --list

   The same from Python (Debian's grpcio; messages generated from protos/ on
   the fly, methods called by name, no stubs):

     /usr/bin/python3 -c 'import os,sys; sys.path.insert(0,"deploy"); import umkm_call as u; u.load_protos(); print(u.Client("$target", os.environ["UMKM_TOKEN"]).call("ListBusinesses", {"page_size": 2}))'

   Mint other tokens: $token_tool --key_file=.demo/auth.key --sub=you --role=admin|official|service [--agency=DISKOPINDAG]
EOF

if [ "$check" = 1 ]; then
  echo "== --check: demo verified, stopping"
  exit 0
fi
echo "== Ctrl-C stops the registry and Redis"
# Wait for Ctrl-C (trap) or for the registry to die on its own.
set +e
wait "$registry_pid"
rc=$?
set -e
echo "demo.sh: umkm-registry exited with $rc; last log lines:" >&2
tail -n 20 "$demo/registry.log" >&2
registry_pid=""
exit 1
