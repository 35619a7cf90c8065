#!/usr/bin/python3
"""End-to-end checks of `baogao admin add`, `admin passwd` and `admin list`:
passwords from stdin and from a terminal (a pty, echo off), the stored
argon2id hashes, refused names and passwords, sessions ended by passwd, the
list output and the audit log.

Stored hashes are verified with libargon2's own argon2id_verify (through
ctypes; libargon2-1 comes with the build's libargon2-dev), which parses the
PHC string with the reference decoder, not with ours.

Usage: /usr/bin/python3 tests/integration/cli_admin_test.py --baogao PATH
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""
import argparse
import ctypes
import ctypes.util
import datetime
import functools
import os
import re
import select
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

# The shared harness beside this file (ctest runs the tests as scripts).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baogao_harness as harness  # noqa: E402
from baogao_harness import check  # noqa: E402

PHC = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$")
LIST_LINE = re.compile(r"^(\S+) +(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$")


# An admin command that takes longer than this is stuck.
run = functools.partial(harness.run, timeout=60)


def load_argon2():
    lib = ctypes.CDLL(ctypes.util.find_library("argon2") or "libargon2.so.1")
    lib.argon2id_verify.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t]
    lib.argon2id_verify.restype = ctypes.c_int
    return lib


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baogao", required=True)
    b = ap.parse_args().baogao
    argon2 = load_argon2()

    def verifies(phc, password):
        return argon2.argon2id_verify(phc.encode(), password, len(password)) == 0  # ARGON2_OK

    tmp = tempfile.mkdtemp(prefix="baogao_admin_")
    db = os.path.join(tmp, "admin.db")
    r = run([b, "init", "--db", db])
    check("init exits 0", r.returncode == 0, r.stderr)

    def q(sql, args=()):
        con = sqlite3.connect(db)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def stored_hash(name):
        rows = q("select password_hash from admin_users where name = ?", (name,))
        return rows[0][0] if rows else None

    def admin(*args, stdin=b""):
        return run([b, "admin", *args, "--db", db], stdin=stdin)

    r = admin("list")
    check("list on no users: exit 0, nothing on stdout", r.returncode == 0 and r.stdout == b"",
          (r.returncode, r.stdout, r.stderr))

    # add, with the password as one line of stdin.
    pw_alice = "correct horse battery 订书钉"
    r = admin("add", "alice", stdin=(pw_alice + "\n").encode())
    check("add alice: exit 0", r.returncode == 0, (r.returncode, r.stderr))
    check("add alice: the password is not printed",
          pw_alice.encode() not in r.stdout + r.stderr, (r.stdout, r.stderr))
    h_alice = stored_hash("alice")
    m = PHC.match(h_alice or "")
    check("stored hash is an argon2id PHC string", m, h_alice)
    if m:
        check("stored hash: m >= 19456 KiB, t >= 2, p >= 1",
              int(m.group(1)) >= 19456 and int(m.group(2)) >= 2 and int(m.group(3)) >= 1,
              m.groups())
    check("libargon2 verifies the stored hash against the password",
          h_alice and verifies(h_alice, pw_alice.encode()), h_alice)
    check("... without the line's \\n",
          h_alice and not verifies(h_alice, (pw_alice + "\n").encode()), h_alice)

    pw_bob = "a different passphrase"
    r = admin("add", "bob", stdin=(pw_bob + "\r\n").encode())
    h_bob = stored_hash("bob")
    check("add bob (\\r\\n line end): exit 0, \\r\\n removed",
          r.returncode == 0 and h_bob and verifies(h_bob, pw_bob.encode()), (r.returncode, r.stderr))
    r = admin("add", "carol.x_1-2", stdin=b"no line end at all")
    check("add with a last line without \\n, name with . _ -",
          r.returncode == 0 and verifies(stored_hash("carol.x_1-2"), b"no line end at all"),
          (r.returncode, r.stderr))
    r = admin("add", "dave", stdin=b"first line password\nsecond line\n")
    check("only the first line is the password",
          r.returncode == 0 and verifies(stored_hash("dave"), b"first line password"), r.stderr)
    hash1, hash2 = stored_hash("alice"), stored_hash("bob")
    check("two hashes have different salts", hash1.split("$")[4] != hash2.split("$")[4])

    # Duplicate user.
    r = admin("add", "alice", stdin=b"yet another password\n")
    check("add alice again: exit 1, 'user exists'",
          r.returncode == 1 and b"user exists" in r.stderr, (r.returncode, r.stderr))
    check("... and her hash is unchanged", stored_hash("alice") == h_alice)

    # Bad names: refused with exit 2, nothing stored.
    for name in ["", "a b", "名字", "x" * 65, "a/b", "a:b", "alice\n", "user@example.com"]:
        r = admin("add", name, stdin=b"good password here\n")
        check(f"bad name {name!r}: exit 2", r.returncode == 2, (r.returncode, r.stderr))
    longest = "x" * 64
    r = admin("add", longest, stdin=b"good password here\n")
    check("64-character name is accepted", r.returncode == 0, (r.returncode, r.stderr))
    users = {n for (n,) in q("select name from admin_users")}
    check("no bad name stored", users == {"alice", "bob", "carol.x_1-2", "dave", longest}, users)

    # Passwords the policy refuses: exit 2 with the reason, nothing stored.
    weak = [
        (b"short\n", "密码至少需要 10 个字符"),
        (b"\n", "密码至少需要 10 个字符"),
        ("中华人民共和国国务\n".encode(), "密码至少需要 10 个字符"),  # 27 bytes, 9 characters
        (b"aaaaaaaaaaaaaaaa\n", "同一个字符"),
        (b"\xff\xfe" * 8 + b"\n", "UTF-8"),
        (b"y" * 1025 + b"\n", "1024"),
        (b"", "no password"),
    ]
    for stdin, word in weak:
        r = admin("add", "erin", stdin=stdin)
        err = r.stderr.decode("utf-8", "replace")
        check(f"weak password {stdin[:20]!r}: exit 2, says '{word}'",
              r.returncode == 2 and word in err, (r.returncode, err))
    check("no user for refused passwords", stored_hash("erin") is None)
    r = admin("add", "erin", stdin=("中华人民共和国国务院\n").encode())
    check("10 Chinese characters are enough", r.returncode == 0, (r.returncode, r.stderr))

    # passwd: a new hash, the old password no longer works, sessions end.
    con = sqlite3.connect(db)
    now = int(time.time())
    for token, user in [("t1", "alice"), ("t2", "alice"), ("t3", "bob")]:
        con.execute("insert into admin_sessions (token_hash, user_name, csrf_secret, created_at,"
                    " expires_at) values (?, ?, 'c', ?, ?)", (token, user, now, now + 3600))
    con.commit()
    con.close()
    pw_alice2 = "the second password"
    r = admin("passwd", "alice", stdin=(pw_alice2 + "\n").encode())
    check("passwd alice: exit 0", r.returncode == 0, (r.returncode, r.stderr))
    h_alice2 = stored_hash("alice")
    check("passwd changes the hash", h_alice2 != h_alice and PHC.match(h_alice2 or ""), h_alice2)
    check("the new password verifies, the old one does not",
          verifies(h_alice2, pw_alice2.encode()) and not verifies(h_alice2, pw_alice.encode()))
    sessions = q("select token_hash from admin_sessions order by token_hash")
    check("passwd ends alice's sessions only", sessions == [("t3",)], sessions)
    r = admin("passwd", "alice", stdin=b"tooshort\n")
    check("passwd with a weak password: exit 2, hash unchanged",
          r.returncode == 2 and stored_hash("alice") == h_alice2, (r.returncode, r.stderr))
    r = admin("passwd", "nobody", stdin=b"good password here\n")
    check("passwd for an unknown user: exit 3", r.returncode == 3, (r.returncode, r.stderr))
    r = admin("passwd", "bad name", stdin=b"good password here\n")
    check("passwd with a bad name: exit 2", r.returncode == 2, (r.returncode, r.stderr))

    # list: names in order, each with its creation time in UTC.
    r = admin("list")
    lines = r.stdout.decode().splitlines()
    parsed = [LIST_LINE.match(l) for l in lines]
    check("list: exit 0, one 'NAME  TIME' line per user", r.returncode == 0 and all(parsed)
          and len(lines) == 6, lines)
    if all(parsed):
        created = {n: t for n, t in q("select name, created_at from admin_users")}
        want = [(n, datetime.datetime.fromtimestamp(created[n], datetime.timezone.utc)
                 .strftime("%Y-%m-%dT%H:%M:%SZ")) for n in sorted(created)]
        check("list: names sorted, times = created_at in UTC",
              [(p.group(1), p.group(2)) for p in parsed] == want, (lines, want))

    # The audit log: one entry per change made, none for refused attempts.
    audit = q("select actor, client_ip, action, target, detail from audit_log order by id")
    want = [("cli", "", "user.add", "user:" + n, "") for n in
            ["alice", "bob", "carol.x_1-2", "dave", longest, "erin"]]
    want.append(("cli", "", "user.passwd", "user:alice", ""))
    check("audit rows: actor cli, user.add / user.passwd, user:NAME", audit == want, audit)
    times = q("select time from audit_log")
    check("audit rows have times", all(abs(t - now) < 3600 for (t,) in times), times)

    # A database that does not exist is not created.
    missing = os.path.join(tmp, "missing.db")
    r = run([b, "admin", "add", "zoe", "--db", missing], stdin=b"good password here\n")
    check("add on a missing database: exit 3, no file made",
          r.returncode == 3 and not os.path.exists(missing), (r.returncode, r.stderr))
    r = run([b, "admin"])
    check("admin without a subcommand fails", r.returncode != 0, r.returncode)

    # The terminal: prompts on the tty, echo off, asked twice.
    def tty_session(name, answers):
        master, slave = os.openpty()
        p = subprocess.Popen([b, "admin", "add", name, "--db", db], stdin=slave, stderr=slave,
                             stdout=subprocess.PIPE, close_fds=True)
        os.close(slave)
        seen = b""
        deadline = time.monotonic() + 60

        def read_until(marker):
            nonlocal seen
            while marker not in seen and time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    break
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            return marker in seen

        prompts = [b"New password for " + name.encode() + b": ", b"Repeat the password: "]
        ok = True
        for prompt, answer in zip(prompts, answers):
            ok = ok and read_until(prompt)
            if ok:
                os.write(master, answer + b"\n")
        if not ok:
            p.kill()
        out, _ = p.communicate(timeout=60)
        read_until(b"\0")  # whatever is left, until the child closes the terminal
        os.close(master)
        return ok, p.returncode, seen, out

    ok, rc, seen, out = tty_session("frank", [b"typed on a terminal", b"typed on a terminal"])
    check("tty: both prompts shown, exit 0", ok and rc == 0, (ok, rc, seen))
    check("tty: the password is not echoed", b"typed on a terminal" not in seen, seen)
    check("tty: stored hash verifies",
          rc == 0 and verifies(stored_hash("frank"), b"typed on a terminal"), stored_hash("frank"))
    ok, rc, seen, out = tty_session("gina", [b"typed on a terminal", b"typed differently!!"])
    check("tty: two different passwords: exit 2, says so, nothing stored",
          ok and rc == 2 and b"differ" in seen and stored_hash("gina") is None, (ok, rc, seen))
    ok, rc, seen, out = tty_session("hugo", [b"aaaaaaaaaaaaaaa", b"aaaaaaaaaaaaaaa"])
    check("tty: policy applies: exit 2", ok and rc == 2 and "同一个字符".encode() in seen,
          (ok, rc, seen.decode("utf-8", "replace")))

    if not harness.summary():
        shutil.rmtree(tmp)  # kept after a failure, to look at
        return 0
    print(f"files kept in {tmp}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
