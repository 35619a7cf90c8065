#!/usr/bin/python3
"""Crash test of posting comments: `baogao serve` is killed with SIGKILL at
random moments while a reader posts a stream of comments, and restarted on
the same database each time.

The reader (a thread) fetches a report page, fills the comment form with a
body of its own (unique), answers the captcha (from `captcha_peek`) and
posts it. When the connection fails (the server died before, during or
after the commit), it waits for the server to be back and posts the SAME
form again: the same token, hence the same idempotency key, and the same
body, as a browser resubmitting would. The main thread starts the server,
waits 50-500 ms (random, seeded and printed), kills it, and starts it again.

At the end: every comment whose POST got a 303 is in the database exactly
once, no body is stored twice, nothing is stored that was not posted, every
form posted was finally acknowledged, no post got any answer other than
303 (a retry must never be refused as a replay or a duplicate), and
`PRAGMA integrity_check` is ok. Prints the counts.

Usage: /usr/bin/python3 tests/integration/comment_crash_test.py --baogao PATH
           --captcha-peek PATH [--cycles N] [--seed N] [--keep]
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""
import argparse
import http.client
import html.parser
import os
import random
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RESULTS = []
# How long the reader waits for the server to come back before giving up.
RESTART_DEADLINE = 60


def check(name, cond, detail=""):
    RESULTS.append(bool(cond))
    print(("ok     " if cond else "FAILED ") + name + ("" if cond else ": " + str(detail)[:3000]),
          flush=True)
    return bool(cond)


def run(args, timeout=300):
    return subprocess.run(args, capture_output=True, timeout=timeout)


class Server:
    """`baogao serve` as a subprocess; its stdout URL line gives the port."""

    def __init__(self, baogao, db, config, log):
        self.proc = subprocess.Popen([baogao, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                      "--config", config, "--access-log", "none"],
                                     stdout=subprocess.PIPE, stderr=log)
        deadline = time.monotonic() + 60
        line = b""
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.proc.stdout], [], [], deadline - time.monotonic())
            if not r:
                break
            line = self.proc.stdout.readline()
            if not line or b"http://" in line:
                break
        m = re.search(rb"http://([0-9.]+):(\d+)/", line)
        if not m:
            self.kill()
            raise RuntimeError("server did not start: %r" % line)
        self.host, self.port = m.group(1).decode(), int(m.group(2))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()

    def term(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        self.proc.stdout.close()
        return self.proc.returncode


class CommentForm(html.parser.HTMLParser):
    """The fields of <form id="comment-form">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.action = None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == "comment-form"
            if self.inside:
                self.action = a.get("action")
        elif self.inside and tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


class Live:
    """The server the reader should talk to: its address and generation
    (one per start), published by the main thread."""

    def __init__(self):
        self.cv = threading.Condition()
        self.generation = 0
        self.address = None  # (host, port), None while down
        self.finished = False

    def publish(self, address):
        with self.cv:
            self.generation += 1
            self.address = address
            self.cv.notify_all()

    def down(self):
        with self.cv:
            self.address = None

    def wait_newer(self, generation):
        """The address of a server started after `generation`; None when
        the test is over or none came within the deadline."""
        deadline = time.monotonic() + RESTART_DEADLINE
        with self.cv:
            while not self.finished and (self.generation <= generation or self.address is None):
                left = deadline - time.monotonic()
                if left <= 0:
                    return None, generation
                self.cv.wait(left)
            if self.finished and (self.generation <= generation or self.address is None):
                return None, generation
            return self.address, self.generation

    def current(self):
        with self.cv:
            return self.address, self.generation


class Reader(threading.Thread):
    """Posts comments one after the other; retries a form until a 303."""

    def __init__(self, live, db, peek, report_paths, stop):
        super().__init__(daemon=True)
        self.live = live
        self.db = db
        self.peek = peek
        self.paths = report_paths
        self.stop = stop
        self.cookies = {}
        self.posted = []        # bodies of forms submitted at least once
        self.acknowledged = []  # bodies whose POST got a 303
        self.retried = 0        # posts sent again after a connection error
        self.recovered = 0      # forms that needed a retry and then got a 303
        self.lost_answers = 0   # retries of a form already stored (the 303 was lost)
        self.unexpected = []    # (body, status, text) for answers other than 303
        self.failures = []      # what went wrong outside the server's answers
        self.in_flight = None

    def request(self, address, method, target, body=None):
        c = http.client.HTTPConnection(address[0], address[1], timeout=20)
        try:
            h = {}
            if self.cookies:
                h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
            if body is not None:
                h["Content-Type"] = "application/x-www-form-urlencoded"
            c.request(method, target, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            for sc in r.msg.get_all("Set-Cookie") or []:
                name, _, rest = sc.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return r.status, r.getheader("Location", ""), data.decode("utf-8", "replace")
        finally:
            c.close()

    def stored(self, body):
        con = sqlite3.connect(self.db, timeout=30)
        try:
            return con.execute("select count(*) from comments where body = ?", (body,)).fetchone()[0]
        finally:
            con.close()

    def answer(self, token):
        r = run([self.peek, self.db, token], timeout=30)
        if r.returncode != 0:
            raise RuntimeError("captcha_peek: " + r.stderr.decode("utf-8", "replace"))
        return r.stdout.decode().strip()

    def fetch_form(self, n):
        """A fresh form, from whichever server is up (waits across kills)."""
        address, generation = self.live.current()
        while not self.stop.is_set():
            if address is None:
                address, generation = self.live.wait_newer(generation)
                if address is None:
                    return None
            try:
                status, _, text = self.request(address, "GET", self.paths[n % len(self.paths)])
                if status == 200:
                    p = CommentForm()
                    p.feed(text)
                    if p.action and p.fields.get("token"):
                        return p.action, p.fields, generation
                self.failures.append(("GET form", status))
                return None
            except (OSError, http.client.HTTPException):
                address, generation = self.live.wait_newer(generation)
                if address is None:
                    return None
        return None

    def run(self):
        n = 0
        try:
            while not self.stop.is_set():
                got = self.fetch_form(n)
                if got is None:
                    break
                action, fields, generation = got
                body = "崩溃测试评论第 %d 条：数据很详细，谢谢整理。" % n
                fields = dict(fields, nickname="崩溃测试", body=body)
                fields["captcha"] = self.answer(fields["token"])
                encoded = urllib.parse.urlencode(fields).encode()
                self.posted.append(body)
                self.in_flight = body
                address, generation = self.live.current()
                address = address or (None, None)
                tries = 0
                while True:
                    try:
                        if address[0] is None:
                            raise ConnectionRefusedError("server down")
                        status, location, text = self.request(address, "POST", action, encoded)
                    except (OSError, http.client.HTTPException):
                        # Down, killed mid-request or mid-answer: the same
                        # form again once a newer server is up.
                        address, generation = self.live.wait_newer(generation)
                        if address is None:
                            self.failures.append(("no server to retry on", body))
                            return
                        # Committed before the kill, the answer lost: the
                        # retry must find it by its key, not store it again.
                        self.lost_answers += self.stored(body) > 0
                        self.retried += 1
                        tries += 1
                        continue
                    if status == 303 and "posted=approved#comment-" in location:
                        self.acknowledged.append(body)
                        self.recovered += tries > 0
                    else:
                        self.unexpected.append((body, status, location, text[-400:]))
                    break
                self.in_flight = None
                n += 1
        except Exception as e:  # reported as a failure by the main thread
            self.failures.append(("reader crashed", repr(e)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baogao", required=True)
    ap.add_argument("--captcha-peek", required=True)
    ap.add_argument("--cycles", type=int, default=50)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    b = os.path.abspath(args.baogao)
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    print("seed %d (rerun with --seed %d)" % (seed, seed), flush=True)
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="baogao_crash_")
    t_start = time.monotonic()
    server = None
    try:
        server = run_all(b, os.path.abspath(args.captcha_peek), tmp, rng, args.cycles)
    except Exception as e:
        import traceback
        traceback.print_exc()
        check("the test ran to the end", False, repr(e))
    finally:
        if server is not None and server.proc.poll() is None:
            server.kill()
        if args.keep:
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    failed = RESULTS.count(False)
    print("%d passed, %d failed (%.1f s)" % (RESULTS.count(True), failed, time.monotonic() - t_start))
    return 1 if failed else 0


def run_all(b, peek, tmp, rng, cycles):
    db = os.path.join(tmp, "crash.db")
    r = run([b, "init", "--db", db])
    check("init", r.returncode == 0, r.stderr)
    r = run([b, "import", os.path.join(ROOT, "data", "demo", "reports"), "--db", db])
    check("demo import", r.returncode == 0, r.stderr)
    config = os.path.join(tmp, "crash.toml")
    with open(config, "w") as f:
        f.write('[comments]\nmoderation = "none"\nmin_fill_seconds = 0\n'
                "rate_per_ip_per_minute = 0\nrate_global_per_minute = 0\n"
                "captcha_per_ip_per_minute = 0\n")
    log = open(os.path.join(tmp, "serve.stderr"), "wb")

    server = Server(b, db, config, log)
    c = http.client.HTTPConnection(server.host, server.port, timeout=20)
    c.request("GET", "/")
    home = c.getresponse().read().decode("utf-8", "replace")
    c.close()
    paths = []
    for m in re.finditer(r'href="(/[a-z]+/[a-z]+/\d+\.html)"', home):
        if m.group(1) not in paths and len(paths) < 4:
            paths.append(m.group(1))
    if not check("home links report pages", paths, home[:500]):
        server.kill()
        return None

    live = Live()
    stop = threading.Event()
    reader = Reader(live, db, peek, paths, stop)
    live.publish((server.host, server.port))
    reader.start()
    kills, start_failures = 0, []
    for cycle in range(cycles):
        # The server is up (published): let it work, then kill it.
        delay = rng.uniform(0.05, 0.5)
        time.sleep(delay)  # the random moment is the point of the test
        live.down()
        server.kill()
        kills += 1
        try:
            server = Server(b, db, config, log)
        except RuntimeError as e:
            start_failures.append((cycle, str(e)))
            server = None
            break
        live.publish((server.host, server.port))
        if not reader.is_alive():
            break
    # The last server stays up: the reader finishes the form in flight,
    # then stops.
    stop.set()
    reader.join(RESTART_DEADLINE + 30)
    with live.cv:
        live.finished = True
        live.cv.notify_all()
    reader.join(10)
    check("the server restarted after every SIGKILL (%d kills)" % kills,
          not start_failures and kills == cycles, start_failures)
    check("the reader finished (no hang)", not reader.is_alive(), reader.in_flight)
    rc = server.term() if server is not None else None
    log.close()
    check("the last server: SIGTERM → exit 0", rc == 0,
          (rc, open(os.path.join(tmp, "serve.stderr"), "rb").read()[-2000:]))

    con = sqlite3.connect(db)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchall()
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        rows = con.execute("select body, count(*) from comments where nickname = '崩溃测试' "
                           "group by body").fetchall()
        keys = con.execute("select count(*), count(distinct idempotency_key) from comments").fetchone()
    finally:
        con.close()
    stored = dict(rows)
    posted, acked = reader.posted, reader.acknowledged
    print("       cycles %d, posted %d, acknowledged %d, retried %d (forms acknowledged after a "
          "retry %d, of which already stored before it %d), stored %d"
          % (cycles, len(posted), len(acked), reader.retried, reader.recovered,
             reader.lost_answers, sum(stored.values())), flush=True)
    check("PRAGMA integrity_check: ok", integrity == [("ok",)], integrity)
    check("PRAGMA foreign_key_check: nothing", fk == [], fk[:10])
    check("no failures in the reader", not reader.failures, reader.failures[:10])
    check("every post was answered 303 (no retry refused as a replay or duplicate)",
          not reader.unexpected, reader.unexpected[:5])
    missing = [x for x in acked if stored.get(x, 0) != 1]
    check("every acknowledged comment (%d) is stored exactly once" % len(acked), not missing,
          [(x, stored.get(x, 0)) for x in missing[:10]])
    twice = [(x, n) for x, n in stored.items() if n > 1]
    check("no body is stored twice", not twice, twice[:10])
    phantom = [x for x in stored if x not in set(posted)]
    check("nothing is stored that was not posted", not phantom, phantom[:10])
    check("every form posted was acknowledged in the end (%d of %d)" % (len(acked), len(posted)),
          sorted(acked) == sorted(posted) and len(set(acked)) == len(acked),
          sorted(set(posted) - set(acked))[:10])
    check("idempotency keys are unique", keys[0] == keys[1], keys)
    check("the test exercised the crash path: posts were retried after a kill",
          reader.retried > 0 and len(acked) >= cycles, (reader.retried, len(acked)))
    return None


if __name__ == "__main__":
    sys.exit(main())
