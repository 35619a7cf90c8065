#!/usr/bin/env bash
# The main job, from a clean clone: install what is missing, build, run.
# Until the site exists, "run" segments the demo text (演示数据), imports the
# demo reports into a fresh database (build/demo.db) and lists them.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh build
scripts/build.sh
echo
echo "== baogao segment: data/demo/sample.txt (演示数据), with the government user dictionary =="
build/release/bin/baogao segment --user-dict data/dict/government.txt data/demo/sample.txt
echo
echo "== baogao import: the demo reports (演示数据) into a fresh database, build/demo.db =="
rm -f build/demo.db build/demo.db-wal build/demo.db-shm
build/release/bin/baogao import data/demo/reports --db build/demo.db
build/release/bin/baogao list --db build/demo.db --limit 10
echo "..."
echo
echo "Try: build/release/bin/baogao show 1 --db build/demo.db"
echo "     build/release/bin/baogao --help"
