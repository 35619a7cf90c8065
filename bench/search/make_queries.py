#!/usr/bin/python3
"""Draws search-benchmark queries from a JSON Lines corpus (gen_corpus.py --format jsonl).

    /usr/bin/python3 bench/search/make_queries.py CORPUS.jsonl --out queries.jsonl
        [--per-shape 50] [--seed 1]

Every term is cut from the corpus's own paragraphs, so every single-term query
matches at least one report.  Same corpus, seed and --per-shape give the same
file.  Shapes (--per-shape distinct queries each, in this order):

  char1     one CJK character
  char2     a 2-character all-CJK string cut from a paragraph
  char4     a 4-character all-CJK string
  and2      two 2-4-character all-CJK strings (from two paragraphs), both required
  phrase6   a 6-character all-CJK string, searched as a quoted phrase
  filtered  a 2-4-character string, restricted to a province (the 2-digit code
            prefix of a report's region, so the province and all its
            prefectures and counties) and a 6-year range year_from..year_to

One JSON object per line:
  {"shape": "and2", "terms": ["...", "..."], "phrase": false,
   "region_prefix": "37" or null, "year_from": 2018 or null, "year_to": 2023 or null}
"""
import argparse
import json
import random
import sys

SHAPES = ["char1", "char2", "char4", "and2", "phrase6", "filtered"]


def is_cjk(s):
    return all("\u4e00" <= c <= "\u9fff" for c in s)


class Sampler:
    """Random all-CJK substrings from randomly chosen paragraphs of a sample of reports."""

    def __init__(self, path, rng, sample_docs=400):
        with open(path, encoding="utf-8") as f:
            n = sum(1 for _ in f)
        if n == 0:
            sys.exit("error: empty corpus %s" % path)
        wanted = set(rng.sample(range(n), min(n, sample_docs)))
        self.docs = []
        with open(path, encoding="utf-8") as f:
            for k, line in enumerate(f):
                if k in wanted:
                    d = json.loads(line)
                    self.docs.append((d["region"], d["paragraphs"]))
        self.rng = rng

    def doc(self):
        return self.rng.choice(self.docs)

    def cut(self, length, paras=None):
        for _ in range(10000):
            p = self.rng.choice(paras or self.doc()[1])
            if len(p) < length:
                continue
            i = self.rng.randrange(len(p) - length + 1)
            s = p[i:i + length]
            if is_cjk(s):
                return s
        sys.exit("error: found no all-CJK string of %d characters" % length)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-shape", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    s = Sampler(a.corpus, rng)
    out = []
    for shape in SHAPES:
        seen = set()
        for _ in range(a.per_shape * 50):
            if len(seen) == a.per_shape:
                break
            q = {"shape": shape, "terms": [], "phrase": False, "region_prefix": None,
                 "year_from": None, "year_to": None}
            if shape in ("char1", "char2", "char4"):
                q["terms"] = [s.cut(int(shape[4:]))]
            elif shape == "and2":
                q["terms"] = [s.cut(rng.randint(2, 4)), s.cut(rng.randint(2, 4))]
                if q["terms"][0] == q["terms"][1]:
                    continue
            elif shape == "phrase6":
                q["terms"], q["phrase"] = [s.cut(6)], True
            else:
                region, paras = s.doc()
                q["terms"] = [s.cut(rng.randint(2, 4), paras)]
                q["region_prefix"] = region[:2]
                q["year_from"] = rng.randint(1995, 2019)
                q["year_to"] = q["year_from"] + 5
            key = json.dumps(q, ensure_ascii=False, sort_keys=True)
            if key not in seen:
                seen.add(key)
                out.append(q)
        if len(seen) < a.per_shape:
            print("warning: only %d distinct %s queries" % (len(seen), shape), file=sys.stderr)
    with open(a.out, "w", encoding="utf-8") as f:
        for q in out:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    print("wrote %d queries to %s" % (len(out), a.out), file=sys.stderr)


if __name__ == "__main__":
    main()
