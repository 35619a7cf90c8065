#!/usr/bin/env bash
# The main job, from a clean clone: install what is missing, build, run.
# Until the site exists, "run" segments the demo text (演示数据) and prints it.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh build
scripts/build.sh
echo
echo "== baogao segment: data/demo/sample.txt (演示数据), with the government user dictionary =="
build/release/bin/baogao segment --user-dict data/dict/government.txt data/demo/sample.txt
echo
echo "Try: build/release/bin/baogao segment --help"
