#!/usr/bin/env bash
# ctest self_contained: the repository must build, test and demo from a fresh
# clone with nothing beside it. Fails when a CMake file, a script (deploy/,
# tools/, .ci/, tests/), a source file or a doc refers to a path outside the
# repository: the old team data folder beside the checkout (its relative or
# absolute path), or a climb out of the source tree from its root (a parent
# of PROJECT_SOURCE_DIR or CMAKE_SOURCE_DIR). Then plants one offender of
# each kind in a scratch tree and requires each to be caught, so a broken
# pattern cannot pass silently. The patterns are assembled from pieces, so
# that this file itself holds none of the paths it looks for.
#
#   tests/repo/check_self_contained.sh [repo-root]
#
# Skipped: .git, node_modules (a symlink to installed npm packages), build
# trees (build*/ at the root, any directory holding a CMakeCache.txt) and
# this script.
set -euo pipefail

root="$(cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../..}" && pwd)"
self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

# The pieces: the team folder's name, the parent step, a source-root
# variable.
team="shar""ed"
up=".."
root_var() { printf '${%s_SOURCE_DIR}' "$1"; }

# Extended regular expressions, one per way out of the tree.
patterns=(
  "\\.\\./${team}([^_A-Za-z0-9]|\$)"
  "/work/${team}"
  '\$\{(PROJECT|CMAKE|sahabat_umkm)_SOURCE_DIR\}/\.\.'
)

# Prints "path:line:text" for every offending line under $1 (files matching
# the names below), nothing when clean. Exits non-zero if grep fails.
scan() {
  local tree="$1"
  local args=() files=()
  for p in "${patterns[@]}"; do args+=(-e "$p"); done
  mapfile -d '' files < <(find "$tree" \
    \( -name .git -o -name node_modules -o -name __pycache__ \) -prune -o \
    -type d \( -path "$tree/build*" -o -path "$tree/.demo" \) -prune -o \
    -type d -exec test -e '{}/CMakeCache.txt' \; -prune -o \
    -type f \( -name CMakeLists.txt -o -name '*.cmake' -o -name '*.cc' \
       -o -name '*.h' -o -name '*.proto' -o -name '*.py' -o -name '*.js' \
       -o -name '*.sh' -o -name '*.json' -o -name '*.yaml' -o -name '*.yml' \
       -o -name '*.md' -o -name 'Dockerfile*' -o -path "$tree/deploy/*" \
       -o -path "$tree/tools/*" -o -path "$tree/.ci/*" \) \
    ! -path "$self" -print0)
  if [[ ${#files[@]} -eq 0 ]]; then
    echo "self_contained: no files to check under $tree" >&2
    return 2
  fi
  # grep: 0 found, 1 none found, 2 error.
  grep -nHE "${args[@]}" -- "${files[@]}" || [[ $? == 1 ]]
}

found="$(scan "$root")"
if [[ -n "$found" ]]; then
  echo "self_contained: paths outside the repository:" >&2
  echo "$found" >&2
  exit 1
fi

# Self-test: every planted offender must be reported.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/lib" "$scratch/deploy" "$scratch/tools"
printf 'add_definitions(-DX="%s/%s/data")\n' "$(root_var PROJECT)" "$up" \
  >"$scratch/lib/CMakeLists.txt"
printf 'include(%s/%s/x.cmake)\n' "$(root_var CMAKE)" "$up" \
  >"$scratch/lib/x.cmake"
printf 'const char* kDir = "%s/%s/data";\n' "$up" "$team" >"$scratch/lib/a.cc"
printf 'cp -r /work/%s/data .\n' "$team" >"$scratch/deploy/run"
printf 'ls %s/%s\n' "$up" "$team" >"$scratch/tools/t.sh"
printf 'ok: %s/%s_ptr.h, %s/%s/sibling\n' "$up" "$team" \
  "$(root_var CMAKE_CURRENT)" "$up" >"$scratch/lib/fine.h"
planted="$(scan "$scratch")"
missed=0
for file in lib/CMakeLists.txt lib/x.cmake lib/a.cc deploy/run tools/t.sh; do
  if ! grep -q "^$scratch/$file:" <<<"$planted"; then
    echo "self_contained: self-test missed $file" >&2
    missed=1
  fi
done
if grep -q "^$scratch/lib/fine.h:" <<<"$planted"; then
  echo "self_contained: self-test flagged lib/fine.h, which stays inside" >&2
  missed=1
fi
[[ "$missed" == 0 ]] || exit 1
echo "self_contained: no path outside $root"
