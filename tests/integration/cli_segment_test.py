#!/usr/bin/python3
"""End-to-end checks of `baogao segment` and `baogao dict` as a user runs them.

Usage: /usr/bin/python3 tests/integration/cli_segment_test.py --baogao PATH
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""
import argparse
import functools
import json
import os
import sys
import tempfile

# The shared harness beside this file (ctest runs the tests as scripts).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baogao_harness as harness  # noqa: E402
from baogao_harness import check  # noqa: E402

# A segment or dict command that takes longer than this is stuck.
run = functools.partial(harness.run, timeout=120)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baogao", required=True)
    b = ap.parse_args().baogao
    tmp = tempfile.mkdtemp(prefix="baogao_cli_")

    r = run([b, "--version"])
    check("--version", r.returncode == 0 and r.stdout.startswith(b"baogao "), r.stdout)
    for sub in (["segment"], ["dict"], ["dict", "compile"], ["dict", "info"]):
        r = run([b] + sub + ["--help"])
        check("help for " + " ".join(sub), r.returncode == 0 and b"Usage" in r.stdout, r.stderr)
    r = run([b])
    check("no subcommand is an error", r.returncode != 0 and b"subcommand" in r.stderr.lower(), r.stderr)

    text = "2023年地区生产总值增长6%左右。\n\n中国人民\n".encode()
    r = run([b, "segment"], stdin=text)
    check("stdin text output", r.stdout == "2023 / 年 / 地区 / 生产总值 / 增长 / 6% / 左右 / 。\n\n中国 / 人民\n".encode(),
          r.stdout)
    r = run([b, "segment", "-d", "|"], stdin="中国人民".encode())
    check("delimiter", r.stdout == "中国|人民\n".encode(), r.stdout)

    path = os.path.join(tmp, "in.txt")
    with open(path, "wb") as f:
        f.write("ＰＭ２．５下降\n报告\xffx".encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    r = run([b, "segment", "--format", "json", path])
    lines = [json.loads(l) for l in r.stdout.decode().splitlines()]
    check("json: one object per line", r.returncode == 0 and len(lines) == 2, r.stdout)
    t = lines[1]["tokens"]
    check("json: line offset", lines[1]["offset"] == len("ＰＭ２．５下降\n".encode()), lines[1])
    check("json: invalid byte replaced, offsets kept",
          [x["word"] for x in t] == ["报告", "\ufffd", "x"] and t[1]["byte_offset"] == 6
          and t[1]["byte_length"] == 1 and t[1]["char_offset"] == 2 and t[2]["char_offset"] == 3, t)
    r = run([b, "segment", path])
    check("text: invalid byte passed through raw", r.stdout.endswith(b"\xe6\x8a\xa5\xe5\x91\x8a / \xff / x\n"),
          r.stdout)

    r = run([b, "segment", "/nonexistent/file.txt"])
    check("missing input file", r.returncode == 1 and b"cannot open '/nonexistent/file.txt'" in r.stderr, r.stderr)
    r = run([b, "segment", "--mode", "fast"], stdin=b"x")
    check("bad mode refused", r.returncode != 0 and b"--mode" in r.stderr, r.stderr)
    r = run([b, "segment", "--user-dict", "/nonexistent/u.txt"], stdin=b"x")
    check("missing user dict", r.returncode == 2 and b"/nonexistent/u.txt" in r.stderr, r.stderr)
    r = run([b, "segment", "--dict", path], stdin=b"x")
    check("broken dictionary named", r.returncode == 2 and b"invalid dictionary entry" in r.stderr, r.stderr)

    big = os.path.join(tmp, "big.txt")
    with open(big, "wb") as f:
        f.write(b"a" * (3 << 20) + b"\n")
    r = run([b, "segment", "--max-line-mb", "1", big])
    check("line limit", r.returncode == 1 and b"longer than the limit" in r.stderr, r.stderr)
    r = run([b, "segment", "--max-line-mb", "4", big])
    check("long line within limit", r.returncode == 0 and r.stdout == b"a" * (3 << 20) + b"\n", r.stderr)

    user = os.path.join(tmp, "user.txt")
    with open(user, "w", encoding="utf-8") as f:
        f.write("明厨亮灶\n")
    r = run([b, "segment", "--user-dict", user, path])
    check("--user-dict takes one value, FILE still read", r.returncode == 0 and r.stdout.count(b"\n") == 2, r.stdout)
    out = os.path.join(tmp, "u.bgd")
    r = run([b, "dict", "compile", "--dict", os.environ.get("BAOGAO_JIEBA_DICT",
                                                         "/usr/lib/python3/dist-packages/jieba/dict.txt"),
             "--user-dict", user, "-o", out])
    check("dict compile", r.returncode == 0 and os.path.getsize(out) > 1 << 20, r.stderr)
    r = run([b, "segment", "--dict", out], stdin="推行明厨亮灶".encode())
    check("compiled user dict used", r.stdout == "推行 / 明厨亮灶\n".encode(), r.stdout)
    r = run([b, "dict", "info", "--dict", out])
    check("dict info", r.returncode == 0 and b"words: " in r.stdout, r.stdout)

    return 1 if harness.summary() else 0


if __name__ == "__main__":
    sys.exit(main())
