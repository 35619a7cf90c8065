#!/usr/bin/env bash
# Configures (once) and builds the Release tree in build/release.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f build/release/build.ninja ]]; then
  cmake --preset release -DBAOGAO_WERROR=ON >/dev/null
fi
cmake --build build/release
