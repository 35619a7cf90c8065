#!/usr/bin/python3
"""Differential test: `baogao segment` vs Python jieba 0.42.1.

Usage:
  /usr/bin/python3 tests/segment/jieba_diff.py --baogao build/baogao \
      [--corpus FILE ...] [--user-dict FILE] [--checks NAME,NAME] [--full]

For every corpus file it runs two kinds of checks:

* in-process modes -- ours `BAOGAO segment --mode M [--no-hmm] FILE` against
  jieba computed in this process on a fresh `jieba.Tokenizer()`:
      default         tok.cut(line, HMM=True)
      default-nohmm   tok.cut(line, HMM=False)
      search          tok.cut_for_search(line, HMM=True)
      search-nohmm    tok.cut_for_search(line, HMM=False)
      all             tok.cut(line, cut_all=True)
  Lines are read like `python3 -m jieba FILE` reads them (universal newlines,
  each line .rstrip('\\r\\n')); expected output is ' / '.join(tokens) + '\\n'.
* CLI compatibility -- ours vs `/usr/bin/python3 -m jieba -q ...` subprocess:
      cli         segment FILE                  -m jieba -q FILE
      cli-nohmm   segment --no-hmm FILE         -m jieba -q -n FILE
      cli-all     segment --mode all FILE       -m jieba -q -a FILE
      cli-delim   segment --delimiter '|' FILE  -m jieba -q -d '|' FILE
      cli-stdin   segment < FILE                -m jieba -q < FILE
  (stdin is split only at '\\n', files use universal newlines.)

With --user-dict FILE, ours gets `--user-dict FILE`, the in-process side calls
tok.load_userdict(FILE) and the jieba CLI gets `-u FILE`.

All outputs are compared as bytes.  Prints per-check line/diff counts, the first
differing lines, and finally "N passed, M failed".  Exit status: 0 all passed,
1 some check failed, 2 usage error (e.g. missing baogao binary).
"""
import argparse
import os
import subprocess
import sys
import tempfile

PYTHON = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPORA = [os.path.join(HERE, "data", "diff_corpus.txt"),
                   os.path.join(HERE, "data", "newlines.txt")]

# name -> (our extra args, expected-token function)
INPROC_MODES = [
    ("default", ["--mode", "default"], lambda tok, s: tok.cut(s, HMM=True)),
    ("default-nohmm", ["--mode", "default", "--no-hmm"], lambda tok, s: tok.cut(s, HMM=False)),
    ("search", ["--mode", "search"], lambda tok, s: tok.cut_for_search(s, HMM=True)),
    ("search-nohmm", ["--mode", "search", "--no-hmm"], lambda tok, s: tok.cut_for_search(s, HMM=False)),
    ("all", ["--mode", "all"], lambda tok, s: tok.cut(s, cut_all=True)),
]
# name -> (our extra args, jieba CLI extra args, feed the file through stdin?)
CLI_CHECKS = [
    ("cli", [], [], False),
    ("cli-nohmm", ["--no-hmm"], ["-n"], False),
    ("cli-all", ["--mode", "all"], ["-a"], False),
    ("cli-delim", ["--delimiter", "|"], ["-d", "|"], False),
    ("cli-stdin", [], [], True),
]
ALL_CHECKS = [m[0] for m in INPROC_MODES] + [c[0] for c in CLI_CHECKS]


def child_env():
    env = dict(os.environ)
    for k in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONWARNINGS"):
        env.pop(k, None)
    env["PYTHONIOENCODING"] = "utf-8"
    env["LC_ALL"] = "C.UTF-8"
    return env


def read_lines_universal(path):
    """Lines exactly as `python3 -m jieba FILE` sees them."""
    out = []
    with open(path, "r", encoding="utf-8") as f:
        ln = f.readline()
        while ln:
            out.append(ln.rstrip("\r\n"))
            ln = f.readline()
    return out


def read_lines_stdin(path):
    """Lines as `python3 -m jieba < FILE` sees them (split at '\\n' only)."""
    with open(path, "rb") as f:
        data = f.read().decode("utf-8")
    parts = data.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return [p.rstrip("\r\n") for p in parts]


def split_keep(b):
    """Split bytes into lines at b'\\n', keeping the terminator."""
    parts = b.split(b"\n")
    out = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def show(b_or_s, focus=None, full=False, width=240):
    """repr() of a line; long lines are cut to a window around `focus`."""
    if isinstance(b_or_s, bytes):
        try:
            s = b_or_s.decode("utf-8")
        except UnicodeDecodeError:
            return "(invalid UTF-8) " + repr(b_or_s[:width * 3])
    else:
        s = b_or_s
    if full or len(s) <= width:
        return repr(s)
    start = max(0, (focus or 0) - width // 3)
    return "[chars %d..%d of %d] %r" % (start, start + width, len(s), s[start:start + width])


def first_diff(a, b):
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


def compare(label, inputs, expected, got, args, details=True):
    """Compare two byte outputs line by line; print a report; return ok."""
    exp_l, got_l = split_keep(expected), split_keep(got)
    n = max(len(exp_l), len(got_l))
    bad = [i for i in range(n)
           if i >= len(exp_l) or i >= len(got_l) or exp_l[i] != got_l[i]]
    ok = expected == got
    if not ok and not bad:  # cannot happen, but never report a silent pass
        bad = [n - 1 if n else 0]
    print("%-48s lines=%-6d differing=%-6d %s" % (label, len(inputs), len(bad), "OK" if ok else "FAIL"))
    if len(exp_l) != len(got_l):
        print("    line count differs: expected %d output lines, ours %d" % (len(exp_l), len(got_l)))
    for i in bad[:args.max_show if details else 0]:
        e = exp_l[i] if i < len(exp_l) else b""
        g = got_l[i] if i < len(got_l) else b""
        try:
            pos = first_diff(e.decode("utf-8"), g.decode("utf-8"))
        except UnicodeDecodeError:
            pos = 0
        src = inputs[i] if i < len(inputs) else "(no input line)"
        print("    line %d:" % (i + 1))
        print("      input:    %s" % show(src, pos, args.full))
        print("      expected: %s" % (show(e, pos, args.full) if i < len(exp_l) else "(missing)"))
        print("      ours:     %s" % (show(g, pos, args.full) if i < len(got_l) else "(missing)"))
    return ok


def run(cmd, stdin_path, args, cwd):
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        p = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=child_env(), cwd=cwd, timeout=args.timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, b"", b"timeout after %ds" % args.timeout
    finally:
        if stdin_path:
            stdin.close()


def run_ours(extra, path, args, cwd, stdin=False):
    cmd = [args.baogao, "segment"] + args.ours_dict_args + extra + ([] if stdin else [path])
    rc, out, err = run(cmd, path if stdin else None, args, cwd)
    if rc != 0:
        print("    ours exited with %s: %s" % (rc, " ".join(cmd)))
        print("    stderr: %r" % err[-600:])
    return rc == 0, out


def make_tokenizer(user_dict):
    import jieba
    jieba.setLogLevel(60)
    if jieba.__version__ != "0.42.1":
        print("warning: jieba %s found, expected 0.42.1" % jieba.__version__)
    tok = jieba.Tokenizer()
    tok.initialize()
    if user_dict:
        tok.load_userdict(user_dict)
    return tok


def main():
    ap = argparse.ArgumentParser(description="Differential test of baogao segment vs jieba.")
    ap.add_argument("--baogao", required=True, help="path to the baogao binary")
    ap.add_argument("--corpus", action="append", help="corpus file (repeatable); default: "
                    "data/diff_corpus.txt and data/newlines.txt")
    ap.add_argument("--user-dict", help="jieba-format user dictionary for both sides")
    ap.add_argument("--checks", help="comma-separated subset of: " + ",".join(ALL_CHECKS))
    ap.add_argument("--max-show", type=int, default=5, help="differing lines shown per check")
    ap.add_argument("--full", action="store_true", help="do not shorten long lines in reports")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per subprocess")
    args = ap.parse_args()

    args.baogao = os.path.abspath(args.baogao)
    if not (os.path.isfile(args.baogao) and os.access(args.baogao, os.X_OK)):
        print("error: baogao binary not found or not executable: %s "
              "(build it first, then pass --baogao PATH)" % args.baogao, file=sys.stderr)
        return 2
    corpora = [os.path.abspath(c) for c in (args.corpus or DEFAULT_CORPORA)]
    missing = [c for c in corpora if not os.path.isfile(c)]
    if args.user_dict:
        args.user_dict = os.path.abspath(args.user_dict)
        if not os.path.isfile(args.user_dict):
            missing.append(args.user_dict)
    if missing:
        print("error: file(s) not found: %s" % ", ".join(missing), file=sys.stderr)
        return 2
    checks = set(ALL_CHECKS)
    if args.checks:
        checks = set(x.strip() for x in args.checks.split(",") if x.strip())
        unknown = checks - set(ALL_CHECKS)
        if unknown:
            print("error: unknown check(s): %s" % ", ".join(sorted(unknown)), file=sys.stderr)
            return 2
    args.ours_dict_args = ["--user-dict", args.user_dict] if args.user_dict else []
    jieba_dict_args = ["-u", args.user_dict] if args.user_dict else []

    tok = make_tokenizer(args.user_dict)
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="jieba_diff_") as cwd:
        for path in corpora:
            name = os.path.basename(path)
            lines = read_lines_universal(path)
            print("== %s (%d lines)%s" % (path, len(lines),
                                          " with user dict %s" % args.user_dict if args.user_dict else ""))
            for mode, extra, fn in INPROC_MODES:
                if mode not in checks:
                    continue
                expected = "".join(" / ".join(fn(tok, s)) + "\n" for s in lines).encode("utf-8")
                ran, got = run_ours(extra, path, args, cwd)
                ok = compare("%s [%s]" % (name, mode), lines, expected, got, args, ran or got) and ran
                passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
            for cname, ours_extra, jieba_extra, use_stdin in CLI_CHECKS:
                if cname not in checks:
                    continue
                jcmd = [PYTHON, "-s", "-m", "jieba", "-q"] + jieba_dict_args + jieba_extra
                jcmd += [] if use_stdin else [path]
                rc, expected, err = run(jcmd, path if use_stdin else None, args, cwd)
                if rc != 0:
                    print("%-48s reference jieba CLI failed (%s): %r" % (
                        "%s [%s]" % (name, cname), rc, err[-600:]))
                    failed += 1
                    continue
                inputs = read_lines_stdin(path) if use_stdin else lines
                ran, got = run_ours(ours_extra, path, args, cwd, stdin=use_stdin)
                ok = compare("%s [%s]" % (name, cname), inputs, expected, got, args, ran or got) and ran
                passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
