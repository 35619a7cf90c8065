#!/usr/bin/env bash
# The browser test: installs playwright-core (tests/browser/node_modules,
# from package-lock.json) when missing, imports the demo reports into a
# temporary database, starts `baogao serve` on 127.0.0.1:0, runs
# site.spec.mjs against it in Debian's Chromium, and stops the server.
#
# Usage: tests/browser/run.sh --baogao PATH [--artifacts DIR]
#   (artifacts: screenshots; default build/browser-artifacts)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
baogao=""
artifacts="$here/../../build/browser-artifacts"
while [[ $# -gt 0 ]]; do
  case $1 in
    --baogao) baogao=$2; shift 2 ;;
    --artifacts) artifacts=$2; shift 2 ;;
    *) echo "usage: $0 --baogao PATH [--artifacts DIR]" >&2; exit 2 ;;
  esac
done
[[ -x $baogao ]] || { echo "run.sh: --baogao must name the baogao binary" >&2; exit 2; }
for tool in node npm "${BAOGAO_CHROMIUM:-/usr/bin/chromium}"; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/setup.sh test)" >&2; exit 1; }
done

if [[ ! -f $here/node_modules/playwright-core/package.json ||
      $here/package-lock.json -nt $here/node_modules/.package-lock.json ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

tmp=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$baogao" import "$(cd "$here/../.." && pwd)/data/demo/reports" --db "$tmp/demo.db" >/dev/null
"$baogao" serve --db "$tmp/demo.db" --listen 127.0.0.1:0 --access-log "$tmp/access.log" \
  >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
url=""
for _ in $(seq 600); do  # the URL line, within 60 s
  url=$(grep -o 'http://[0-9.]*:[0-9]*/' "$tmp/serve.out" || true)
  [[ -n $url ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $url ]]; then
  echo "run.sh: baogao serve did not start:" >&2
  cat "$tmp/serve.err" >&2
  exit 1
fi
rm -rf "$artifacts"
mkdir -p "$artifacts"
status=0
node "$here/site.spec.mjs" --url "$url" --artifacts "$artifacts" || status=$?
kill -TERM "$pid"
wait "$pid" || { echo "run.sh: baogao serve exited with $? after SIGTERM" >&2; status=1; }
pid=""
exit $status
