#!/usr/bin/python3
"""Measure Python jieba 0.42.1 segmentation throughput (reference for baogao).

    /usr/bin/python3 bench/segment/jieba_throughput.py --input FILE \
        --mode default|nohmm|search|all [--runs 3] [--cold]

Loads the dictionary once on a fresh `jieba.Tokenizer()` (wall time of
`initialize()` is reported as load_ms; jieba normally loads from its marshal
cache in the temp dir -- pass --cold to force parsing dict.txt), then for each
run segments every line of FILE (read like `python3 -m jieba FILE`: universal
newlines, each line .rstrip('\\r\\n')) and consumes the token generator fully.
Prints one JSON object per run on stdout:

  {"impl": "jieba", "mode": ..., "bytes": ..., "seconds": ..., "mb_per_s": ...,
   "load_ms": ..., "tokens": ..., "rss_kb": ...}

bytes is the size of FILE; MB = 1e6 bytes; rss_kb is ru_maxrss (peak RSS, KiB).
"""
import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser(description="jieba throughput benchmark")
    ap.add_argument("--input", required=True, help="UTF-8 text file, one paragraph per line")
    ap.add_argument("--mode", required=True, choices=["default", "nohmm", "search", "all"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cold", action="store_true",
                    help="build the prefix dict from dict.txt instead of jieba's cache file")
    args = ap.parse_args()
    if not os.path.isfile(args.input):
        print("error: input file not found: %s" % args.input, file=sys.stderr)
        return 2

    import jieba
    jieba.setLogLevel(60)

    with open(args.input, "r", encoding="utf-8") as f:
        lines = [ln.rstrip("\r\n") for ln in f]
    nbytes = os.path.getsize(args.input)

    tmp = tempfile.mkdtemp(prefix="jieba_bench_") if args.cold else None
    t0 = time.perf_counter()
    tok = jieba.Tokenizer()
    if tmp:
        tok.tmp_dir = tmp  # empty dir: no cache to load, so dict.txt is parsed
    tok.initialize()
    load_ms = (time.perf_counter() - t0) * 1000.0
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)

    if args.mode == "default":
        cut = lambda s: tok.cut(s, HMM=True)
    elif args.mode == "nohmm":
        cut = lambda s: tok.cut(s, HMM=False)
    elif args.mode == "search":
        cut = lambda s: tok.cut_for_search(s, HMM=True)
    else:
        cut = lambda s: tok.cut(s, cut_all=True)

    for _ in range(args.runs):
        tokens = 0
        t0 = time.perf_counter()
        for line in lines:
            for _w in cut(line):
                tokens += 1
        secs = time.perf_counter() - t0
        rec = {
            "impl": "jieba",
            "mode": args.mode,
            "bytes": nbytes,
            "seconds": round(secs, 6),
            "mb_per_s": round(nbytes / 1e6 / secs, 6) if secs > 0 else None,
            "load_ms": round(load_ms, 3),
            "tokens": tokens,
            "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        }
        print(json.dumps(rec, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
