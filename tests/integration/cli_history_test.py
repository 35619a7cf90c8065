#!/usr/bin/python3
"""End-to-end checks of `baogao regions load-history`: the GB/T 2260 history
stored in the database and used by `import` and `regions` without --history.

Synthetic revision files always run; the public 1980-2019 revisions run when
they are present ($BAOGAO_GB2260_DIR, else ../shared/data/gb2260/mca beside
the checkout). Without them the rest still runs and the test exits 77, which
ctest reports as skipped.

Usage: /usr/bin/python3 tests/integration/cli_history_test.py --baogao PATH
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""
import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile

# The shared harness beside this file (ctest runs the tests as scripts).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baogao_harness as harness  # noqa: E402
from baogao_harness import ROOT, check, run  # noqa: E402

SKIP = 77

HEADER = "Source\tRevision\tCode\tName\n"
# 陵县 was 372421 under 德州地区 until 德州市 recoded it 371421 (1994); it
# became 陵城区 371403 in 2014. Without history only the built-in rename
# (371421 → 371403) is known, so 陵县 in 1990 resolves to 371421.
SYNTHETIC = {
    "198012.tsv": [(370000, "山东省"), (372400, "德州地区"), (372421, "陵县")],
    "199412.tsv": [(370000, "山东省"), (371400, "德州市"), (371421, "陵县")],
    "201412.tsv": [(370000, "山东省"), (371400, "德州市"), (371403, "陵城区")],
}


def write_revisions(directory, revisions):
    os.makedirs(directory)
    for name, rows in revisions.items():
        with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
            f.write(HEADER)
            for code, region in rows:
                f.write(f"mca\t{name[:6]}\t{code}\t{region}\n")


def db_state(db):
    """The bytes of the database and its WAL, to tell that nothing was written."""
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = db + suffix
        h.update(open(path, "rb").read() if os.path.exists(path) else b"<none>")
    return h.hexdigest()


def stored_files(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("select name, sha256, loaded_at from region_history_files "
                           "order by name").fetchall()
    finally:
        con.close()


def resolve(b, db, text, year, *extra):
    r = run([b, "regions", "resolve", text, "--year", str(year), "--db", db, "--json", *extra])
    try:
        return json.loads(r.stdout)
    except ValueError:
        return {"status": "error", "code": None, "stderr": r.stderr.decode(errors="replace")}


def write_report(path, title, year):
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{title}\n——{year}年1月15日在第十六届人民代表大会第四次会议上\n\n"
                f"　　演示数据：{year - 1}年，全县经济平稳较快发展。\n")


def import_one(b, db, path):
    """Imports one file; returns (status line as JSON, show --json of the report)."""
    r = run([b, "import", path, "--db", db, "--json"])
    lines = r.stdout.decode().splitlines()
    if r.returncode != 0 or len(lines) != 1:
        return {"stderr": r.stderr.decode(errors="replace")}, {}
    j = json.loads(lines[0])
    if j.get("report_id") is None:
        return j, {}
    s = run([b, "show", str(j["report_id"]), "--db", db, "--json"])
    return j, json.loads(s.stdout) if s.returncode == 0 else {}


def gb2260_dir():
    env = os.environ.get("BAOGAO_GB2260_DIR")
    if env:
        return env
    return os.path.join(ROOT, "..", "shared", "data", "gb2260", "mca")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baogao", required=True)
    b = ap.parse_args().baogao
    tmp = tempfile.mkdtemp(prefix="baogao_history_")
    db = os.path.join(tmp, "baogao.db")
    r = run([b, "init", "--db", db])
    check("init", r.returncode == 0, r.stderr)

    # A broken revision file: a clear error naming it, nothing stored.
    bad = os.path.join(tmp, "bad")
    write_revisions(bad, {"198012.tsv": SYNTHETIC["198012.tsv"]})
    with open(os.path.join(bad, "201904.tsv"), "w", encoding="utf-8") as f:
        f.write(HEADER + "mca\t201904\t370000\t山东省\nmca\t201904\t37140x\t陵城区\n")
    before = db_state(db)
    r = run([b, "regions", "load-history", bad, "--db", db])
    err = r.stderr.decode(errors="replace")
    check("broken file: exit 2", r.returncode == 2, (r.returncode, err))
    check("broken file: the message names file, line and problem",
          "201904.tsv line 3" in err and "37140x" in err and "nothing stored" in err, err)
    check("broken file: database unchanged", db_state(db) == before and stored_files(db) == [],
          stored_files(db))
    empty = os.path.join(tmp, "empty")
    os.makedirs(empty)
    r = run([b, "regions", "load-history", empty, "--db", db])
    check("no revision files: exit 2, says so",
          r.returncode == 2 and b"no GB/T 2260 revision files" in r.stderr, r.stderr)
    r = run([b, "regions", "load-history", os.path.join(tmp, "missing"), "--db",
             os.path.join(tmp, "new.db")])
    check("missing directory: exit 2, no database created",
          r.returncode == 2 and not os.path.exists(os.path.join(tmp, "new.db")), r.stderr)

    # Synthetic revisions: stored, then used without --history.
    syn = os.path.join(tmp, "syn")
    write_revisions(syn, SYNTHETIC)
    check("without history, 陵县 1990 is the built-in 371421",
          resolve(b, db, "陵县", 1990)["code"] == "371421", resolve(b, db, "陵县", 1990))
    r = run([b, "regions", "load-history", syn, "--db", db])
    out = r.stdout.decode()
    check("load-history: exit 0, summary", r.returncode == 0 and "stored 3 revision files "
          "(198012–201412), 9 rows, 0 warnings" in out and "abolished codes" in out, (out, r.stderr))
    check("load-history: files stored by name",
          [f[0] for f in stored_files(db)] == sorted(SYNTHETIC), stored_files(db))
    check("regions resolve uses the stored history: 陵县 1990 → 372421",
          resolve(b, db, "陵县", 1990)["code"] == "372421", resolve(b, db, "陵县", 1990))
    check("... and 陵县 2010 → 371421", resolve(b, db, "陵县", 2010)["code"] == "371421")
    r = run([b, "regions", "show", "372421", "--db", db])
    check("regions show: the historical code and its successor",
          r.returncode == 0 and "successor: 371421".encode() in r.stdout, r.stdout)
    j = resolve(b, db, "陵县", 1990, "--history", empty)
    check("--history DIR replaces the stored history for the run (here: an error)",
          j["status"] == "error" and "no GB/T 2260 revision files" in j.get("stderr", ""), j)
    nodb = os.path.join(tmp, "absent.db")
    j = resolve(b, nodb, "陵县", 1990)
    check("a missing --db: no history, no database created",
          j["code"] == "371421" and not os.path.exists(nodb), j)
    r1990 = os.path.join(tmp, "ling1990.txt")
    write_report(r1990, "陵县人民政府工作报告", 1990)
    # 陵县 in 2020: the built-in rename alone knows one 陵县 (371421); with the
    # stored history there are two, and a dry run sends the report to review.
    r2020 = os.path.join(tmp, "ling2020.txt")
    write_report(r2020, "陵县人民政府工作报告", 2020)
    r = run([b, "import", r2020, "--db", nodb, "--dry-run", "--json"])
    check("import --dry-run without history: would be imported",
          r.returncode == 0 and json.loads(r.stdout)["status"] == "imported", r.stdout)
    r = run([b, "import", r2020, "--db", db, "--dry-run", "--json"])
    j = json.loads(r.stdout) if r.returncode == 0 else {}
    check("import --dry-run uses the stored history (372421 and 371421: review)",
          j.get("status") == "review" and "372421" in j.get("reason", "")
          and run([b, "list", "--db", db]).stdout == b"" and not os.path.exists(nodb), r.stdout)
    j, rep = import_one(b, db, r1990)
    check("import uses the stored history: 陵县 1990 → 372421",
          j.get("status") == "imported" and rep.get("region_code") == "372421", (j, rep))
    r = run([b, "regions", "load-history", syn, "--db", db])
    check("loading the same files again: unchanged",
          r.returncode == 0 and b"unchanged" in r.stdout and
          [f[0] for f in stored_files(db)] == sorted(SYNTHETIC), r.stdout)

    # The public revisions, 1980–2019.
    real = gb2260_dir()
    if not os.path.exists(os.path.join(real, "201904.tsv")):
        print(f"SKIPPED the public GB/T 2260 revisions: not found at {real} "
              "(set BAOGAO_GB2260_DIR)")
        skipped = True
    else:
        skipped = False
        stored = stored_files(db)
        r = run([b, "regions", "load-history", real, "--db", db])
        out = r.stdout.decode()
        check("public revisions: exit 0, summary", r.returncode == 0 and "stored " in out
              and "(198012–201904)" in out and "warnings" in out, (out, r.stderr))
        files = stored_files(db)
        names = sorted(f for f in os.listdir(real) if f.endswith(".tsv"))
        check("a different directory replaces the whole set", [f[0] for f in files] == names
              and files != stored, files[:3])
        check("... every file stored with its SHA-256", all(
            f[1] == hashlib.sha256(open(os.path.join(real, f[0]), "rb").read()).hexdigest()
            for f in files), files[:3])
        before = db_state(db)
        r = run([b, "regions", "load-history", real, "--db", db])
        check("public revisions again: unchanged, nothing written",
              r.returncode == 0 and b"unchanged" in r.stdout and stored_files(db) == files
              and db_state(db) == before, r.stdout)
        # The acceptance example: init, load-history, import 陵县 2010.
        db2 = os.path.join(tmp, "accept.db")
        run([b, "init", "--db", db2])
        r = run([b, "regions", "load-history", real, "--db", db2])
        check("acceptance: load-history", r.returncode == 0, r.stderr)
        r2010 = os.path.join(tmp, "ling2010.txt")
        write_report(r2010, "陵县人民政府工作报告", 2010)
        j, rep = import_one(b, db2, r2010)
        check("acceptance: 陵县 2010 imports as 371421",
              j.get("status") == "imported" and rep.get("region_code") == "371421"
              and rep.get("year") == 2010, (j, rep))
        j, rep = import_one(b, db2, r1990)
        check("acceptance: 陵县 1990 imports as 372421", rep.get("region_code") == "372421", (j, rep))
        r = run([b, "regions", "show", "371421", "--db", db2])
        check("acceptance: regions show 371421 names its successor 371403",
              r.returncode == 0 and b"abolished" in r.stdout
              and "successor: 371403 陵城区".encode() in r.stdout, r.stdout)

    if harness.summary():
        print(f"left {tmp} for inspection")
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    return SKIP if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
