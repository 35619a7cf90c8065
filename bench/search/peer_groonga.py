#!/usr/bin/python3
"""Search benchmark peer: Groonga (Debian's groonga-bin CLI), driven through a pipe.

    /usr/bin/python3 bench/search/peer_groonga.py build CORPUS.jsonl INDEX_DIR
    /usr/bin/python3 bench/search/peer_groonga.py query INDEX_DIR QUERIES.jsonl [--rounds R]

Speaks the protocol of bench/search/compare.py.  Schema: table Reports
(TABLE_HASH_KEY UInt32 = report id) with title (ShortText), body (LongText:
the paragraphs joined with newlines), region (ShortText), year (Int32); a
lexicon Terms (TABLE_PAT_KEY, TokenBigram, NormalizerAuto) with one index
column WITH_POSITION per text column.  The index columns are created after
the `load`, so Groonga builds them in one static pass.

build: the whole command stream (table_create, column_create, one `load` of
all reports as a JSON array, the index columns) is prepared first, then piped
into one `groonga -n INDEX_DIR/db`; build_seconds is the wall time of that
process, start to exit.

query: one `groonga INDEX_DIR/db` process runs every command; each query is
one `select` written to its stdin, and its time is the client-side wall time
from writing the command to reading the whole one-line response (Groonga's
own elapsed time from the response header is reported as "server_ms").  The
select: --match_columns 'title * 5 || body', --query with the terms separated
by spaces (Groonga ANDs them; a phrase in double quotes), --filter for region
prefix (region @^ "37") and year range, top 10 by _score with
snippet_html(body), and n_hits, Groonga's exact count; --cache no, since the
timed rounds repeat the queries and Groonga would answer them from its
query cache.  rss_kb is the
groonga process's VmHWM read from /proc just before it is told to quit.
"""
import json
import os
import subprocess
import sys
import time

NAME = "groonga"
GROONGA = "groonga"


def die(msg):
    print("%s: error: %s" % (NAME, msg), file=sys.stderr)
    sys.exit(1)


def quote(value):
    """A Groonga command-line argument value in single quotes."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def query_keyword(term, phrase):
    """One term in Groonga's query syntax: escaped, or a double-quoted phrase."""
    if phrase:
        return '"' + term.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "".join("\\" + c if c in '\\"()\'+-<>~*:' or c.isspace() else c for c in term)


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.lstat(os.path.join(root, f)).st_blocks * 512
    return total


def vm_hwm_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def build(corpus, index_dir):
    if os.path.exists(index_dir) and os.listdir(index_dir):
        die("index directory is not empty: %s" % index_dir)
    os.makedirs(index_dir, exist_ok=True)
    docs = text_bytes = 0
    rows = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            docs += 1
            text_bytes += len(r["title"].encode("utf-8")) + sum(len(p.encode("utf-8")) for p in r["paragraphs"])
            rows.append(json.dumps({"_key": r["id"], "title": r["title"], "body": "\n".join(r["paragraphs"]),
                                    "region": r["region"], "year": r["year"]}, ensure_ascii=False))
    script = "\n".join([
        "table_create Reports TABLE_HASH_KEY UInt32",
        "column_create Reports title COLUMN_SCALAR ShortText",
        "column_create Reports body COLUMN_SCALAR LongText",
        "column_create Reports region COLUMN_SCALAR ShortText",
        "column_create Reports year COLUMN_SCALAR Int32",
        "load --table Reports",
        "[", ",\n".join(rows), "]",
        "table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram --normalizer NormalizerAuto",
        "column_create Terms title_index COLUMN_INDEX|WITH_POSITION Reports title",
        "column_create Terms body_index COLUMN_INDEX|WITH_POSITION Reports body",
        "",
    ]).encode("utf-8")
    del rows
    start = time.perf_counter()
    p = subprocess.run([GROONGA, "-n", os.path.join(index_dir, "db")], input=script,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if p.returncode != 0:
        die("groonga exited with %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace")))
    responses = [json.loads(ln) for ln in p.stdout.decode("utf-8").splitlines() if ln.strip()]
    for resp in responses:
        if resp[0][0] != 0:
            die("groonga command failed: %s" % json.dumps(resp, ensure_ascii=False)[:500])
    loaded = responses[5][1]
    if loaded != docs:
        die("groonga loaded %s of %d reports" % (loaded, docs))
    print(json.dumps({"engine": NAME, "build_seconds": seconds, "index_bytes": du(index_dir), "docs": docs,
                      "text_bytes": text_bytes}))


def select_command(q):
    query = " ".join(query_keyword(t, q["phrase"]) for t in q["terms"])
    cmd = ["select Reports --match_columns", quote("title * 5 || body"), "--query", quote(query)]
    filters = []
    if q.get("region_prefix"):
        filters.append("region @^ " + json.dumps(q["region_prefix"]))
    if q.get("year_from") is not None:
        filters.append("year >= %d" % q["year_from"])
    if q.get("year_to") is not None:
        filters.append("year <= %d" % q["year_to"])
    if filters:
        cmd += ["--filter", quote(" && ".join(filters))]
    # --cache no: Groonga otherwise answers a repeated select from its query
    # cache, and every timed round repeats the warm-up round's queries.
    cmd += ["--output_columns", quote("_key,_score,title,snippet_html(body)"), "--sort_keys", "-_score",
            "--limit", "10", "--cache", "no"]
    return " ".join(cmd) + "\n"


def query(index_dir, queries_path, rounds):
    with open(queries_path, encoding="utf-8") as f:
        queries = [json.loads(ln) for ln in f if ln.strip()]
    commands = [select_command(q).encode("utf-8") for q in queries]
    p = subprocess.Popen([GROONGA, os.path.join(index_dir, "db")], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    ms = [[] for _ in queries]
    server_ms = [[] for _ in queries]
    last = [None] * len(queries)
    # Round 0 is warm-up; every round runs all queries in file order.
    for rnd in range(rounds):
        for i, cmd in enumerate(commands):
            start = time.perf_counter()
            p.stdin.write(cmd)
            p.stdin.flush()
            line = p.stdout.readline()
            elapsed = (time.perf_counter() - start) * 1000.0
            if not line:
                die("groonga exited during: %s" % cmd.decode("utf-8"))
            resp = json.loads(line)
            if resp[0][0] != 0:
                die("select failed: %s\n%s" % (cmd.decode("utf-8"), json.dumps(resp, ensure_ascii=False)[:500]))
            if rnd > 0:
                ms[i].append(elapsed)
                server_ms[i].append(resp[0][2] * 1000.0)
            last[i] = resp[1]
    rss_kb = vm_hwm_kb(p.pid)
    p.stdin.close()
    p.wait()
    for i, q in enumerate(queries):
        result = last[i][0]
        rows = result[2:]
        print(json.dumps({"qid": i, "shape": q["shape"], "ms": ms[i], "server_ms": server_ms[i],
                          "total": result[0][0], "exact": True, "hits": len(rows),
                          "snippet_bytes": sum(len(json.dumps(r[3], ensure_ascii=False).encode("utf-8"))
                                               for r in rows),
                          "supported": True, "note": ""}, ensure_ascii=False))
    print(json.dumps({"engine": NAME, "rss_kb": rss_kb}))


def main(argv):
    if len(argv) == 3 and argv[0] == "build":
        return build(argv[1], argv[2])
    if len(argv) in (3, 5) and argv[0] == "query":
        rounds = 5
        if len(argv) == 5:
            if argv[3] != "--rounds":
                die("usage: see --help")
            rounds = int(argv[4])
        if rounds < 2:
            die("--rounds must be >= 2 (round 1 is warm-up)")
        return query(argv[1], argv[2], rounds)
    print(__doc__, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
