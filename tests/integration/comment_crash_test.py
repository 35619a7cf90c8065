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
import collections
import http.client
import os
import random
import sys
import threading
import time
import urllib.parse

# The shared harness beside this file (ctest runs the tests as scripts).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baogao_harness as harness  # noqa: E402
from baogao_harness import check  # noqa: E402

# How long the reader waits for the server to come back before giving up.
RESTART_DEADLINE = 60

# Where a server listens.
Address = collections.namedtuple("Address", "host port")


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
        # The reader's cookies, kept across servers; a new connection for
        # every request and no retry (the reader decides what to send again).
        self.browser = harness.Browser(None, "reader", timeout=20, retry=False)
        self.posted = []        # bodies of forms submitted at least once
        self.acknowledged = []  # bodies whose POST got a 303
        self.retried = 0        # posts sent again after a connection error
        self.recovered = 0      # forms that needed a retry and then got a 303
        self.lost_answers = 0   # retries of a form already stored (the 303 was lost)
        self.unexpected = []    # (body, status, text) for answers other than 303
        self.failures = []      # what went wrong outside the server's answers
        self.in_flight = None

    def request(self, address, method, target, body=None):
        self.browser.server = address
        try:
            r = self.browser.request(method, target, body=body, headers=None if body is None else
                                     {"Content-Type": "application/x-www-form-urlencoded"})
            return r.status, r.location(), r.text
        finally:
            self.browser.close()

    def stored(self, body):
        rows = harness.query(self.db, "select count(*) from comments where body = ?", (body,))
        return rows[0][0]

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
                    form = harness.find_form(text, form_id="comment-form")
                    if form and form[0] and form[1].get("token"):
                        return form[0], form[1], generation
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
                fields["captcha"] = harness.captcha_answer(self.peek, self.db,
                                                           fields["token"])
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
    def add_arguments(ap):
        ap.add_argument("--captcha-peek", required=True)
        ap.add_argument("--cycles", type=int, default=50)
        ap.add_argument("--seed", type=int, default=None)

    return harness.main("baogao_crash_", run_all, add_arguments)


def run_all(args, tmp, servers):
    b, peek, cycles = args.baogao, os.path.abspath(args.captcha_peek), args.cycles
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    print("seed %d (rerun with --seed %d)" % (seed, seed), flush=True)
    rng = random.Random(seed)
    db = os.path.join(tmp, "crash.db")
    harness.init_demo(b, db)
    config = harness.write_config(tmp, "crash", """
[comments]
moderation = "none"
min_fill_seconds = 0
rate_per_ip_per_minute = 0
rate_global_per_minute = 0
captcha_per_ip_per_minute = 0
""")

    def start():
        # Every start appends its stderr to tmp/serve.stderr.
        server = harness.Server(b, db, tmp, "serve", config=config, access_log=False)
        servers.append(server)
        return server

    server = start()
    visitor = harness.Browser(server, timeout=20)
    home = visitor.get("/").text
    visitor.close()
    paths = harness.report_paths(home)[:4]
    if not check("home links report pages", paths, home[:500]):
        return

    live = Live()
    stop = threading.Event()
    reader = Reader(live, db, peek, paths, stop)
    live.publish(Address(server.host, server.port))
    reader.start()
    kills, start_failures = 0, []
    # At least `cycles` kills; on a loaded machine (fewer posts between
    # kills) more, until as many comments as cycles were acknowledged, within
    # 4 × cycles kills and three minutes.
    deadline = time.monotonic() + 180
    cycle = 0
    while cycle < cycles or (len(reader.acknowledged) < cycles and cycle < 4 * cycles and
                             time.monotonic() < deadline):
        cycle += 1
        # The server is up (published): let it work, then kill it.
        delay = rng.uniform(0.05, 0.5)
        time.sleep(delay)  # the random moment is the point of the test
        live.down()
        server.kill()
        kills += 1
        try:
            server = start()
        except RuntimeError as e:
            start_failures.append((cycle, str(e)))
            server = None
            break
        live.publish(Address(server.host, server.port))
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
          not start_failures and kills >= cycles, start_failures)
    check("the reader finished (no hang)", not reader.is_alive(), reader.in_flight)
    rc = server.stop() if server is not None else None
    check("the last server: SIGTERM → exit 0", rc == 0,
          (rc, open(os.path.join(tmp, "serve.stderr"), "rb").read()[-2000:]))

    integrity = harness.query(db, "PRAGMA integrity_check")
    fk = harness.query(db, "PRAGMA foreign_key_check")
    rows = harness.query(db, "select body, count(*) from comments where nickname = '崩溃测试' "
                         "group by body")
    keys = harness.query(db, "select count(*), count(distinct idempotency_key) from comments")[0]
    stored = dict(rows)
    posted, acked = reader.posted, reader.acknowledged
    print("       cycles %d, posted %d, acknowledged %d, retried %d (forms acknowledged after a "
          "retry %d, of which already stored before it %d), stored %d"
          % (kills, len(posted), len(acked), reader.retried, reader.recovered,
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


if __name__ == "__main__":
    sys.exit(main())
