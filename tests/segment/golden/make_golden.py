#!/usr/bin/python3
"""Regenerate the golden segmentation files in this directory with Python jieba.

For every X.in next to this script it writes, with jieba 0.42.1's default
dictionary (a fresh jieba.Tokenizer()):

  X.default.expected   tok.cut(line)                  (HMM on; `baogao segment`)
  X.nohmm.expected     tok.cut(line, HMM=False)       (`baogao segment --no-hmm`)
  X.search.expected    tok.cut_for_search(line)       (`baogao segment --mode search`)
  X.all.expected       tok.cut(line, cut_all=True)    (`baogao segment --mode all`)

and for government.in only, with a fresh Tokenizer that has
load_userdict(data/dict/government.txt) applied:

  government.user.expected          tok.cut(line)
  government.user-search.expected   tok.cut_for_search(line)

Input lines are read exactly as `python3 -m jieba FILE` reads them (text mode,
UTF-8, universal newlines, each line .rstrip('\\r\\n')); every output line is
' / '.join(tokens) + '\\n', i.e. byte-identical to what `python3 -m jieba -q`
prints.  The expected files are produced by jieba itself, never by baogao:
if baogao disagrees with one of them, fix baogao (or report it), do not edit
the expected file by hand.

Usage (from anywhere; stdlib + python3-jieba only):
  /usr/bin/python3 tests/segment/golden/make_golden.py           # (re)write
  /usr/bin/python3 tests/segment/golden/make_golden.py --check   # exit 1 if stale
"""
import argparse
import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
USER_DICT = os.path.join(ROOT, "data", "dict", "government.txt")
JIEBA_VERSION = "0.42.1"

# suffix -> function(tokenizer, line) -> tokens
DEFAULT_MODES = [
    ("default", lambda tok, s: tok.cut(s, HMM=True)),
    ("nohmm", lambda tok, s: tok.cut(s, HMM=False)),
    ("search", lambda tok, s: tok.cut_for_search(s, HMM=True)),
    ("all", lambda tok, s: tok.cut(s, cut_all=True)),
]
# input stem -> [(suffix, function)] run with the user dictionary loaded
USER_MODES = {
    "government": [
        ("user", lambda tok, s: tok.cut(s, HMM=True)),
        ("user-search", lambda tok, s: tok.cut_for_search(s, HMM=True)),
    ],
}


def read_lines(path):
    """Lines exactly as `python3 -m jieba FILE` sees them."""
    out = []
    with open(path, "r", encoding="utf-8") as f:
        ln = f.readline()
        while ln:
            out.append(ln.rstrip("\r\n"))
            ln = f.readline()
    return out


def render(tok, fn, lines):
    return "".join(" / ".join(fn(tok, line)) + "\n" for line in lines).encode("utf-8")


def emit(path, data, check):
    """Write (or, with check, compare) one expected file; return True if up to date."""
    old = None
    if os.path.exists(path):
        with open(path, "rb") as f:
            old = f.read()
    name = os.path.relpath(path, ROOT)
    if old == data:
        print("up to date  %s" % name)
        return True
    if check:
        print("STALE       %s" % name)
        return False
    with open(path, "wb") as f:
        f.write(data)
    print("wrote       %s" % name)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if any expected file is missing or differs")
    args = ap.parse_args()

    import jieba
    jieba.setLogLevel(60)
    if jieba.__version__ != JIEBA_VERSION:
        sys.exit("make_golden.py: jieba %s found, %s required (use /usr/bin/python3 "
                 "with Debian's python3-jieba)" % (jieba.__version__, JIEBA_VERSION))

    default_tok = jieba.Tokenizer()
    default_tok.initialize()
    user_tok = None

    inputs = sorted(glob.glob(os.path.join(HERE, "*.in")))
    if not inputs:
        sys.exit("make_golden.py: no *.in files in %s" % HERE)
    ok = True
    for src in inputs:
        stem = os.path.basename(src)[:-len(".in")]
        lines = read_lines(src)
        for suffix, fn in DEFAULT_MODES:
            out = os.path.join(HERE, "%s.%s.expected" % (stem, suffix))
            ok &= emit(out, render(default_tok, fn, lines), args.check)
        if stem in USER_MODES:
            if user_tok is None:
                user_tok = jieba.Tokenizer()
                user_tok.initialize()
                user_tok.load_userdict(USER_DICT)
            for suffix, fn in USER_MODES[stem]:
                out = os.path.join(HERE, "%s.%s.expected" % (stem, suffix))
                ok &= emit(out, render(user_tok, fn, lines), args.check)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
