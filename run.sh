#!/usr/bin/env bash
# The main job, from a clean clone: install what is missing, build, import
# the demo reports (演示数据) into a fresh database (build/demo.db), and serve
# the site on it, with an admin account (password printed). The URL is
# printed; Ctrl-C stops the server.
#   BAOGAO_LISTEN=0.0.0.0:8080 ./run.sh   to listen elsewhere
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh build
scripts/build.sh
echo
echo "== baogao import: the demo reports (演示数据) into a fresh database, build/demo.db =="
rm -rf build/demo.db build/demo.db-wal build/demo.db-shm build/demo.db.index*
build/release/bin/baogao import data/demo/reports --db build/demo.db
echo
echo "== baogao search: 高质量发展 =="
build/release/bin/baogao search --db build/demo.db --limit 3 "高质量发展"
echo
echo "== baogao admin add: a demo admin account with a random password =="
admin_password="$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
printf '%s\n' "$admin_password" | build/release/bin/baogao admin add admin --db build/demo.db
echo "admin area: /admin/  user: admin  password: $admin_password"
echo "(development mode: plain-HTTP admin sign-in from this machine only; see docs/comments.md)"
echo
echo "== baogao serve =="
exec build/release/bin/baogao serve --db build/demo.db --listen "${BAOGAO_LISTEN:-127.0.0.1:8080}" \
  --admin-dev-mode
