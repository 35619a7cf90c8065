#!/usr/bin/python3
"""Side-by-side segmentation benchmark: baogao vs Python jieba (and ICU).

    /usr/bin/python3 bench/segment/compare.py [--build build/release] [--mb 6]
        [--rounds 5] [--input FILE] [--out docs/benchmarks-segment.md]

Generates the bench text once (gen_bench_text.py) unless --input is given and
checks it is >= 5 MB with no duplicate lines.  Each round runs, for every mode,
jieba_throughput.py --runs 1 and segment_bench --runs 1 back to back (the order
flips every round) so both see the same machine load; plus segment_bench
--mode icu, one jieba --cold load probe (parsing dict.txt, on a one-line file)
and `baogao dict info`.  Token counts of baogao and jieba must agree per mode.
Prints a Markdown section (progress goes to stderr) and writes it to --out.
Exit 1 on a token-count mismatch, a missing binary or a failed run; goals that
are not met are reported as FAIL but do not change the exit status.
"""
import argparse, datetime, json, os, re, shlex, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PY = "/usr/bin/python3"
MODES = ["default", "search", "nohmm", "all"]
GOAL_RATIO, GOAL_LOAD_MS, GOAL_DICT_MIB = 50.0, 50.0, 80.0


class Fail(Exception):
    pass


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd):
    # Via a forking /bin/sh: Linux keeps ru_maxrss across execve, and Python's
    # subprocess (vfork) would hand our own peak RSS to the child as a floor,
    # inflating rss_kb and deflating segment_bench's dict_rss_kb.
    p = subprocess.run(["/bin/sh", "-c", '"$@"; exit $?', "sh"] + cmd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise Fail("command failed (rc=%d): %s\n%s" % (p.returncode, shlex.join(cmd), p.stderr.strip()))
    return p.stdout


def run_json(cmd):
    recs = [json.loads(ln) for ln in run(cmd).splitlines() if ln.startswith("{")]
    if len(recs) != 1:
        raise Fail("expected one JSON record from: %s" % shlex.join(cmd))
    return recs[0]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.split(":")[0].strip() in ("model name", "Hardware", "cpu model"):
                    return ln.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def loadavg():
    return "%.2f %.2f %.2f" % os.getloadavg()


def med(xs):
    return statistics.median(xs)


def span(xs, fmt):
    return "%s (%s–%s)" % (fmt % med(xs), fmt % min(xs), fmt % max(xs))


def check_text(path):
    if not os.path.isfile(path):
        raise Fail("input not found: %s" % path)
    size = os.path.getsize(path)
    if size < 5_000_000:
        raise Fail("bench text %s is %d bytes (< 5 MB)" % (path, size))
    try:
        with open(path, "r", encoding="utf-8") as f:
            lines = [ln.rstrip("\r\n") for ln in f]
    except UnicodeDecodeError as e:
        raise Fail("bench text %s is not valid UTF-8: %s" % (path, e))
    if len(set(lines)) != len(lines):
        raise Fail("bench text %s has %d duplicate lines" % (path, len(lines) - len(set(lines))))
    return size, lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build/release", help="build dir (relative: to cwd, else repo root)")
    ap.add_argument("--mb", type=float, default=6.0, help="size of generated text, MB (1e6 bytes)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--input", help="reuse this text instead of generating one")
    ap.add_argument("--out", help="also write the Markdown section here")
    args = ap.parse_args()
    if args.rounds < 1:
        ap.error("--rounds must be >= 1")
    cmdline = shlex.join([PY] + sys.argv)
    started = datetime.datetime.now().astimezone()
    load_start = loadavg()

    build = args.build
    if not os.path.isabs(build) and not os.path.isdir(build):
        build = os.path.join(ROOT, build)
    seg_bin = os.path.join(build, "bin", "segment_bench")
    bg_bin = os.path.join(build, "bin", "baogao")
    for b in (seg_bin, bg_bin):
        if not os.access(b, os.X_OK):
            raise Fail("missing binary: %s (build it first)" % b)
    jieba_py = os.path.join(HERE, "jieba_throughput.py")

    with tempfile.TemporaryDirectory(prefix="baogao_cmp_") as tmp:
        text = args.input
        if not text:
            text = os.path.join(tmp, "bench.txt")
            log(run([PY, os.path.join(HERE, "gen_bench_text.py"), "--out", text, "--mb", str(args.mb)]).strip())
        size, lines = check_text(text)
        one = os.path.join(tmp, "one_line.txt")  # input for the jieba cold-load probe
        with open(one, "w", encoding="utf-8") as f:
            f.write(lines[0] + "\n")
        del lines
        # Make sure jieba's marshal cache exists so "cached" runs really load from it.
        run([PY, "-c", "import jieba; jieba.setLogLevel(60); jieba.initialize()"])
        jieba_ver = run([PY, "-c", "import jieba; print(jieba.__version__)"]).strip()

        R = {(i, m): [] for i in ("baogao", "jieba") for m in MODES}
        icu, cold, dictinfo, ratios = [], [], [], {m: [] for m in MODES}
        for r in range(args.rounds):
            log("round %d/%d (load %s)" % (r + 1, args.rounds, loadavg()))
            cold.append(run_json([PY, jieba_py, "--input", one, "--mode", "default", "--runs", "1", "--cold"])["load_ms"])
            m_ = re.search(r"load:\s*([0-9.]+)\s*ms", run([bg_bin, "dict", "info"]))
            if m_:
                dictinfo.append(float(m_.group(1)))
            for mode in MODES:
                cmds = {"jieba": [PY, jieba_py, "--input", text, "--mode", mode, "--runs", "1"],
                        "baogao": [seg_bin, "--input", text, "--mode", mode, "--runs", "1"]}
                order = ["jieba", "baogao"] if r % 2 == 0 else ["baogao", "jieba"]
                got = {impl: run_json(cmds[impl]) for impl in order}
                for impl, rec in got.items():
                    rec["mbps"] = size / 1e6 / rec["seconds"]
                    R[impl, mode].append(rec)
                tb, tj = got["baogao"]["tokens"], got["jieba"]["tokens"]
                if tb != tj:
                    raise Fail("token count mismatch in mode %s (round %d): baogao %d, jieba %d" % (mode, r + 1, tb, tj))
                ratios[mode].append(got["baogao"]["mbps"] / got["jieba"]["mbps"])
                log("  %-7s baogao %7.2f MB/s  jieba %5.2f MB/s  %6.1fx  tokens %d"
                    % (mode, got["baogao"]["mbps"], got["jieba"]["mbps"], ratios[mode][-1], tb))
            rec = run_json([seg_bin, "--input", text, "--mode", "icu", "--runs", "1"])
            rec["mbps"] = size / 1e6 / rec["seconds"]
            icu.append(rec)
            log("  icu     %7.2f MB/s" % rec["mbps"])
    load_end = loadavg()

    def col(impl, mode, key):
        return [x[key] for x in R[impl, mode]]

    def allruns(impl, key):
        return [x[key] for m in MODES for x in R[impl, m]]

    goals = []
    md = ["## Segmentation throughput: baogao vs jieba", "",
          "Generated by `bench/segment/compare.py` on %s." % started.strftime("%Y-%m-%d %H:%M %Z"), "",
          "- Command: `%s`" % cmdline,
          "- Machine: %s; `nproc` = %s" % (cpu_model(), os.cpu_count()),
          "- Load average (1/5/15 min): %s at start, %s at end" % (load_start, load_end),
          "- Input: %s bytes of generated report text (%s), no duplicate lines"
          % (format(size, ","), "`--input %s`" % args.input if args.input else "`gen_bench_text.py --mb %g`" % args.mb),
          "- jieba %s (Debian python3-jieba, `%s`); single-threaded; %d rounds, each mode run once per "
          "impl per round, back to back; MB = 10^6 bytes" % (jieba_ver, PY, args.rounds),
          "- Figures are median (min–max) over rounds; token counts are identical for baogao and jieba in every mode.",
          "", "### Throughput (MB/s)", "",
          "| mode | baogao | jieba | ratio of medians | median of per-round ratios | tokens |",
          "|---|---|---|---|---|---|"]
    for mode in MODES:
        b, j = col("baogao", mode, "mbps"), col("jieba", mode, "mbps")
        ratio = med(b) / med(j)
        md.append("| %s | %s | %s | %.1f× | %s | %s |" % (
            mode, span(b, "%.2f"), span(j, "%.2f"), ratio, span(ratios[mode], "%.1f×"),
            format(R["baogao", mode][0]["tokens"], ",")))
        if mode in ("default", "search"):
            goals.append(("%s%s ≥ %g× jieba" % (mode, " (HMM)" if mode == "default" else "", GOAL_RATIO),
                          "%.1f×" % ratio, ratio >= GOAL_RATIO))
    md.append("| icu (word BreakIterator, context only) | %s | – | – | – | %s (boundaries, not comparable) |"
              % (span([x["mbps"] for x in icu], "%.2f"), format(icu[0]["tokens"], ",")))

    bl = allruns("baogao", "load_ms")
    jc = [x for m in MODES for x in col("jieba", m, "load_ms")]
    md += ["", "### Dictionary load (ms)", "", "| what | median (min–max) | samples |", "|---|---|---|",
           "| baogao, compiled dictionary → ready Segmenter (segment_bench) | %s | %d |" % (span(bl, "%.1f"), len(bl))]
    if dictinfo:
        md.append("| baogao `dict info` load | %s | %d |" % (span(dictinfo, "%.1f"), len(dictinfo)))
    md += ["| jieba cold (parses dict.txt, writes cache) | %s | %d |" % (span(cold, "%.0f"), len(cold)),
           "| jieba cached (marshal cache in temp dir) | %s | %d |" % (span(jc, "%.0f"), len(jc))]
    goals.append(("dictionary load ≤ %g ms" % GOAL_LOAD_MS, "%.1f ms" % med(bl), med(bl) <= GOAL_LOAD_MS))

    mib = lambda kb: [k / 1024.0 for k in kb]
    drss = mib(allruns("baogao", "dict_rss_kb"))
    md += ["", "### Memory (MiB, peak RSS incl. the input text held in memory)", "",
           "| what | median (min–max) |", "|---|---|",
           "| baogao peak RSS | %s |" % span(mib(allruns("baogao", "rss_kb")), "%.1f"),
           "| baogao dictionary resident (`dict_rss_kb`) | %s |" % span(drss, "%.1f"),
           "| jieba peak RSS (cached load) | %s |" % span(mib(allruns("jieba", "rss_kb")), "%.1f"),
           "| icu peak RSS | %s |" % span(mib([x["rss_kb"] for x in icu]), "%.1f")]
    goals.append(("dictionary resident ≤ %g MiB (max over runs)" % GOAL_DICT_MIB, "%.1f MiB" % max(drss),
                  max(drss) <= GOAL_DICT_MIB))

    md += ["", "### Goals", "", "| goal | measured | result |", "|---|---|---|"]
    md += ["| %s | %s | %s |" % (g, v, "PASS" if ok else "FAIL") for g, v, ok in goals]
    out = "\n".join(md) + "\n"
    print(out, end="")
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(out)
        log("wrote %s" % args.out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fail as e:
        print("error: %s" % e, file=sys.stderr)
        sys.exit(1)
