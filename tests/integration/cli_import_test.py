#!/usr/bin/python3
"""End-to-end checks of `baogao import`, `list`, `show`, `delete` on the demo
data and on hostile files, including a kill -9 in the middle of an import.

Usage: /usr/bin/python3 tests/integration/cli_import_test.py --baogao PATH
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""
import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

# The shared harness beside this file (ctest runs the tests as scripts).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baogao_harness as harness  # noqa: E402
from baogao_harness import ROOT, check, run  # noqa: E402


def summary_counts(stdout):
    # "42 files: 40 imported, 2 duplicates, 0 needing review, 0 failed"
    for line in stdout.decode().splitlines():
        if " files: " in line:
            parts = line.split(": ", 1)[1].split(", ")
            return [int(p.split()[0]) for p in parts]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baogao", required=True)
    b = ap.parse_args().baogao
    tmp = tempfile.mkdtemp(prefix="baogao_import_")
    db = os.path.join(tmp, "demo.db")
    demo = os.path.join(ROOT, "data", "demo", "reports")

    # The demo data: every file imports, the two copies are recognised.
    r = run([b, "import", demo, "--db", db])
    check("demo import exits 0", r.returncode == 0, r.stderr)
    check("demo import summary", summary_counts(r.stdout) == [40, 2, 0, 0], r.stdout)
    r = run([b, "list", "--db", db, "--json", "--limit", "1000"])
    rows = [json.loads(l) for l in r.stdout.decode().splitlines()]
    check("list --json: 40 reports", len(rows) == 40, len(rows))
    types = {x["type"] for x in rows}
    levels = {x["level"] for x in rows}
    provinces = {x["region_code"][:2] for x in rows if x["region_code"]}
    check("all types, levels, >= 6 provinces, >= 5 years",
          types >= {"baogao", "gongbao", "guihua"} and levels >= {"province", "prefecture", "county"}
          and len(provinces) >= 6 and len({x["year"] for x in rows}) >= 5, (types, levels, provinces))
    check("every title labelled 演示数据", all("演示数据" in x["title"] for x in rows))
    lingcheng = [x for x in rows if x["region_code"] == "371403" and x["year"] == 2023]
    check("陵城区 2023 resolved once", len(lingcheng) == 1, lingcheng)
    if lingcheng:
        r = run([b, "show", str(lingcheng[0]["id"]), "--db", db, "--json"])
        rep = json.loads(r.stdout)
        check("show --json: every field", all(k in rep for k in (
            "id", "type", "region_code", "level", "title", "year", "date", "source_url", "source_site",
            "original", "completeness", "content_hash", "created_at", "updated_at", "body",
            "alternate_sources")), sorted(rep))
        check("show --json: body as {level, text}", rep["body"][0].keys() == {"level", "text"}
              and any(p["level"] == 1 for p in rep["body"]), rep["body"][:2])
        check("near-duplicates kept as alternate sources", len(rep["alternate_sources"]) == 2,
              rep["alternate_sources"])
        check("date from the subtitle", rep["date"] and rep["date"].startswith("2023-01-"), rep["date"])
    r = run([b, "import", demo, "--db", db])
    check("re-running the import changes nothing", summary_counts(r.stdout) == [0, 42, 0, 0], r.stdout)
    seq = sqlite3.connect(db).execute("select count(*) from change_log").fetchone()[0]
    r = run([b, "import", demo, "--db", db])
    seq2 = sqlite3.connect(db).execute("select count(*) from change_log").fetchone()[0]
    check("... not even the change log", seq == seq2, (seq, seq2))

    # The first search builds the index beside the database (in parallel
    # shards, as `reindex` does); the next one catches up with a deletion.
    r = run([b, "search", "演示数据", "--db", db, "--json", "--limit", "3"])
    res = json.loads(r.stdout) if r.returncode == 0 else {}
    check("first search builds the index: all 40 found", res.get("total") == 40, r.stderr)
    check("... beside the database", os.path.exists(db + ".index"), os.listdir(tmp))
    r = run([b, "delete", str(rows[0]["id"]), "--db", db])
    check("delete exits 0", r.returncode == 0, r.stderr)
    r = run([b, "search", "演示数据", "--db", db, "--json", "--limit", "3"])
    res = json.loads(r.stdout) if r.returncode == 0 else {}
    check("the next search catches up: 39 found", res.get("total") == 39, r.stderr)

    # Hostile and broken files: each fails with its reason, nothing stored.
    bad = os.path.join(tmp, "bad")
    os.makedirs(bad)
    open(os.path.join(bad, "empty.txt"), "wb").close()
    with open(os.path.join(bad, "binary.bin"), "wb") as f:
        f.write(bytes(range(256)) * 64)
    with open(os.path.join(ROOT, "tests", "data", "ingest", "report.docx"), "rb") as f:
        docx = f.read()
    with open(os.path.join(bad, "truncated.docx"), "wb") as f:
        f.write(docx[: len(docx) // 2])
    for name in ("encrypted.pdf.bin", "no_body.html"):
        with open(os.path.join(ROOT, "tests", "data", "ingest", name), "rb") as src:
            with open(os.path.join(bad, name.replace(".bin", "")), "wb") as dst:
                dst.write(src.read())
    with open(os.path.join(bad, "huge.txt"), "wb") as f:
        f.truncate(3 << 20)  # sparse: refused by size, not read
    with open(os.path.join(bad, "noyear.txt"), "w", encoding="utf-8") as f:
        f.write("某某县人民政府工作报告\n\n　　演示数据：一段没有年份的正文。\n")
    bad_db = os.path.join(tmp, "bad.db")
    r = run([b, "import", bad, "--db", bad_db, "--max-file-mb", "1", "--json"])
    out = {os.path.basename(j["path"]): j for j in map(json.loads, r.stdout.decode().splitlines())}
    check("bad files: exit 1", r.returncode == 1, r.returncode)
    expect = {"empty.txt": "empty", "binary.bin": "binary", "truncated.docx": "zip",
              "encrypted.pdf": "encrypted", "no_body.html": "no body", "huge.txt": "over the limit",
              "noyear.txt": "--year"}
    for name, word in expect.items():
        j = out.get(name, {})
        check(f"bad file {name}: failed, reason mentions '{word}'",
              j.get("status") == "failed" and word in j.get("reason", "").lower(), j)
    check("failures listed in the summary", b"failed: " in r.stderr and b"huge.txt" in r.stderr, r.stderr)
    rows = sqlite3.connect(bad_db).execute("select count(*) from reports").fetchone()[0]
    check("nothing stored for bad files", rows == 0, rows)

    # Unknown region: stored, listed for review, never guessed.
    unk = os.path.join(tmp, "unknown.txt")
    with open(unk, "w", encoding="utf-8") as f:
        f.write("新疆生产建设兵团第十五师人民政府工作报告（演示数据）\n——2023年1月10日\n\n　　演示数据正文。\n")
    r = run([b, "import", unk, "--db", bad_db, "--json"])
    j = json.loads(r.stdout.decode().splitlines()[0])
    check("unknown region → review", r.returncode == 0 and j["status"] == "review" and j["reason"], j)
    r = run([b, "list", "--unresolved", "--db", bad_db])
    check("list --unresolved shows it", "兵团".encode() in r.stdout, r.stdout)
    r = run([b, "import", unk, "--db", bad_db, "--region", "650000", "--json"])
    check("same text again is a duplicate", json.loads(r.stdout)["status"] == "duplicate", r.stdout)
    r = run([b, "delete", str(j["report_id"]), "--db", bad_db])
    check("delete", r.returncode == 0 and run([b, "show", str(j["report_id"]), "--db", bad_db]).returncode == 3,
          r.stderr)

    # A read-only database is a clear error, not a crash.
    ro = os.path.join(tmp, "ro")
    os.makedirs(ro)
    run([b, "init", "--db", os.path.join(ro, "x.db")])
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", b, "import", demo,
                        "--db", os.path.join(ro, "x.db")], capture_output=True, timeout=120) \
        if os.geteuid() == 0 else run([b, "import", demo, "--db", "/proc/x.db"])
    check("read-only database: clear error, exit 2", r.returncode == 2 and (b"read-only" in r.stderr or
                                                                          b"cannot" in r.stderr or
                                                                          b"denied" in r.stderr), r.stderr)

    # A traditional-character title with full-width digits: read folded.
    trad = os.path.join(tmp, "trad.txt")
    with open(trad, "w", encoding="utf-8") as f:
        f.write("山東省經濟發展統計公報（演示數據）\n——２０２３年３月１日\n\n　　全省經濟運行穩中有進。\n")
    r = run([b, "import", trad, "--db", os.path.join(tmp, "trad.db"), "--json"])
    j = json.loads(r.stdout.decode().splitlines()[0])
    shown = json.loads(run([b, "show", str(j.get("report_id")), "--db", os.path.join(tmp, "trad.db"),
                            "--json"]).stdout or b"{}")
    check("traditional title: imported as 统计公报 of 370000, 2023",
          j["status"] == "imported" and shown.get("type") == "gongbao" and
          shown.get("region_code") == "370000" and shown.get("date") == "2023-03-01", (j, shown))

    # A full disk: the import process may not grow any file past 60 KB
    # (RLIMIT_FSIZE; writes past it fail with EFBIG, as on a full disk).
    # Files that fit are imported, the rest fail with a clear reason, the
    # database stays sound, and a re-run without the limit completes it.
    import resource
    full_db = os.path.join(tmp, "full.db")
    run([b, "init", "--db", full_db])

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))

    r = subprocess.run([b, "import", demo, "--db", full_db], capture_output=True, timeout=300,
                       preexec_fn=small_disk)
    counts = summary_counts(r.stdout) or [0, 0, 0, 0]
    check("disk full: exit 1, some files failed with a clear reason",
          r.returncode == 1 and counts[3] > 0 and (b"full" in r.stdout + r.stderr or
                                                    b"disk" in r.stdout + r.stderr), (r.stdout, r.stderr))
    con = sqlite3.connect(full_db)
    check("disk full: integrity_check ok", con.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
    stored = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    # A report's body is one row of report_bodies (schema version 5); the
    # paragraphs view shows it as rows, as the version-4 table did.
    whole = con.execute("SELECT COUNT(*) FROM reports r JOIN report_bodies b ON b.report_id = r.id "
                        "WHERE json_array_length(b.body) > 0 AND EXISTS "
                        "(SELECT 1 FROM paragraphs p WHERE p.report_id = r.id)").fetchone()[0]
    check("schema version 5: paragraphs is a view",
          con.execute("PRAGMA user_version").fetchone()[0] == 5 and
          con.execute("SELECT type FROM sqlite_master WHERE name = 'paragraphs'").fetchone()[0] == "view")
    con.close()
    check("disk full: what was stored is whole", stored == whole and stored == counts[0], (stored, whole, counts))
    r = run([b, "import", demo, "--db", full_db])
    again = summary_counts(r.stdout) or [0, 0, 0, 0]
    check("disk full: a re-run completes the rest", r.returncode == 0 and again[0] + counts[0] == 40, again)

    # The region table as the importer sees it.
    r = run([b, "regions", "resolve", "(山东省)德州市陵城区人民政府工作报告(2023年1月8日)", "--json"])
    check("regions resolve", r.returncode == 0 and json.loads(r.stdout)["code"] == "371403", r.stdout)
    r = run([b, "regions", "resolve", "鼓楼区", "--json"])
    j = json.loads(r.stdout)
    check("regions resolve: ambiguous → exit 1 with candidates",
          r.returncode == 1 and j["status"] == "ambiguous" and len(j["candidates"]) >= 2, r.stdout)
    r = run([b, "regions", "show", "371400"])
    check("regions show lists children", r.returncode == 0 and "陵城区".encode() in r.stdout, r.stdout)
    r = run([b, "regions", "show", "379999"])
    check("regions show: unknown code", r.returncode == 3 and b"no division" in r.stderr, r.stderr)

    # kill -9 in the middle of a large import: the database stays sound, every
    # report acknowledged as imported is there whole, a re-run does the rest.
    corpus = os.path.join(tmp, "corpus")
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "gen_corpus.py"), "--n", "400",
                    "--out", corpus, "--paras", "30"], check=True, capture_output=True)
    kdb = os.path.join(tmp, "kill.db")
    p = subprocess.Popen([b, "import", corpus, "--db", kdb, "--json"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    acked = []
    deadline = time.time() + 120
    while time.time() < deadline:
        line = p.stdout.readline()
        if not line:
            break
        j = json.loads(line)
        if j["status"] in ("imported", "review"):
            acked.append(j["report_id"])
        if len(acked) >= 120:
            os.kill(p.pid, signal.SIGKILL)
            break
    p.wait()
    con = sqlite3.connect(kdb)
    check("after kill -9: integrity_check ok", con.execute("pragma integrity_check").fetchone()[0] == "ok")
    ids = {r[0] for r in con.execute("select id from reports")}
    check("after kill -9: every acknowledged report is there", set(acked) <= ids, len(set(acked) - ids))
    whole = all(con.execute("select count(*) from paragraphs where report_id=?", (i,)).fetchone()[0] ==
                con.execute("select json_array_length(body) from report_bodies where report_id=?",
                            (i,)).fetchone()[0] > 0
                for i in acked)
    check("after kill -9: acknowledged reports are whole", whole)
    before = len(ids)
    con.close()
    r = run([b, "import", corpus, "--db", kdb])
    counts = summary_counts(r.stdout)
    total = sqlite3.connect(kdb).execute("select count(*) from reports").fetchone()[0]
    check("re-run completes the rest", r.returncode == 0 and counts and counts[3] == 0
          and total == before + counts[0] + counts[2], (counts, before, total))
    print(f"killed after {len(acked)} acknowledged; {before} stored; re-run imported "
          f"{counts[0] + counts[2] if counts else '?'}; {total} in all")

    return 1 if harness.summary() else 0


if __name__ == "__main__":
    sys.exit(main())
