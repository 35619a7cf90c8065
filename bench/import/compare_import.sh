#!/usr/bin/env bash
# Two (or more) builds of `baogao import` on the same corpus, alternating
# round by round so that on a shared, noisy machine each sees the same
# neighbours. Prints wall-clock and CPU seconds, MB/s and the load average
# at the start of each run.
#
#   bench/import/compare_import.sh CORPUS_DIR ROUNDS BAOGAO_BINARY...
#
# CORPUS_DIR comes from bench/gen_corpus.py (as in bench_import.sh).
set -euo pipefail
corpus=$1
rounds=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bytes=$(du -sb "$corpus" | cut -f1)
echo "corpus: $((bytes / 1000000)) MB; $(nproc) cores"
for r in $(seq "$rounds"); do
  for bin in "$@"; do
    rm -f "$work"/db*
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" import "$corpus" --db "$work/db" \
      >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }
    read -r secs user sys rss_kb <"$work/time"
    awk -v r="$r" -v bin="$bin" -v load="$load" -v b="$bytes" -v s="$secs" -v u="$user" \
      -v y="$sys" -v m="$rss_kb" 'BEGIN {
        printf "round %s %s: load %s, %.1f s, %.1f MB/s; CPU %.1f s, %.1f MB/s; peak RSS %.0f MB\n",
          r, bin, load, s, b / s / 1e6, u + y, b / (u + y) / 1e6, m / 1024 }'
    grep " files: " "$work/out" | head -c 200
    echo
  done
done
