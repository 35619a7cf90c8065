"""What the end-to-end tests share: the check/summary protocol, running the
`baogao` binary, `baogao serve` as a subprocess on 127.0.0.1:0, an HTTP
client with a cookie jar, raw exchanges on a socket, HTML forms, the
captcha answer from `captcha_peek`, and the database seen through sqlite3.

ctest runs the tests as scripts, so each one imports this module from its
own directory:

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import baogao_harness as h

Standard library only (Debian's /usr/bin/python3).
"""
import argparse
import html.parser
import http.client
import os
import re
import select
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEMO_REPORTS = os.path.join(ROOT, "data", "demo", "reports")

# ---------------------------------------------------------------------------
# Checks

# One bool per check(), in order.
RESULTS = []


def check(name, cond, detail=""):
    """Records and prints one check: "ok     name", or "FAILED name: detail"
    (the detail cut to 3000 characters). Returns bool(cond)."""
    RESULTS.append(bool(cond))
    print(("ok     " if cond else "FAILED ") + name + ("" if cond else ": " + str(detail)[:3000]),
          flush=True)
    return bool(cond)


def summary(t_start=None):
    """Prints "N passed, M failed" (with the seconds since `t_start`, a
    time.monotonic() value, when given); returns M."""
    failed = RESULTS.count(False)
    line = "%d passed, %d failed" % (RESULTS.count(True), failed)
    if t_start is not None:
        line += " (%.1f s)" % (time.monotonic() - t_start)
    print(line, flush=True)
    return failed


def run(args, stdin=b"", timeout=300, env=None):
    """Runs a program to the end; stdout and stderr captured as bytes."""
    return subprocess.run(args, input=stdin, capture_output=True, timeout=timeout, env=env)


def main(prefix, body, add_arguments=None):
    """The frame of a server test: parses --baogao PATH and --keep (and
    whatever `add_arguments(parser)` adds), makes a temp dir and calls
    `body(args, tmp, servers)`, where `servers` is a list the body appends
    every Server it starts to. An exception in the body is a failed check
    (with its traceback); every server still running at the end is killed;
    the temp dir is removed unless --keep. Returns the exit status: 1 when
    any check failed, else 0."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--baogao", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    if add_arguments:
        add_arguments(ap)
    args = ap.parse_args()
    args.baogao = os.path.abspath(args.baogao)
    tmp = tempfile.mkdtemp(prefix=prefix)
    servers = []
    t_start = time.monotonic()
    try:
        body(args, tmp, servers)
    except Exception as e:  # a crash of the test itself is a failure, not a traceback only
        traceback.print_exc()
        check("the test ran to the end", False, repr(e))
    finally:
        for s in servers:
            s.kill()
        if args.keep:
            print("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if summary(t_start) else 0


# ---------------------------------------------------------------------------
# The database


def init_demo(baogao, db):
    """`baogao init` and an import of the demo reports into `db`, each a check."""
    r = run([baogao, "init", "--db", db])
    check("init", r.returncode == 0, r.stderr)
    r = run([baogao, "import", DEMO_REPORTS, "--db", db])
    check("demo import", r.returncode == 0, r.stderr)


def query(db, sql, args=()):
    """Every row of one statement, on a connection of its own (which waits
    up to 30 s for the server's write lock)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def captcha_answer(peek, db, token):
    """The answer to a captcha token, from the site secret in `db`."""
    r = run([peek, db, token], timeout=30)
    if r.returncode != 0:
        raise RuntimeError("captcha_peek: %s" % r.stderr.decode("utf-8", "replace"))
    return r.stdout.decode().strip()


def write_config(tmp, name, text):
    """Writes `text` to tmp/<name>.toml; returns its path."""
    path = os.path.join(tmp, name + ".toml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# ---------------------------------------------------------------------------
# The server under test


class Server:
    """`baogao serve --listen 127.0.0.1:0` as a subprocess; the URL line on
    its stdout gives the port. Its stderr is appended to tmp/<name>.stderr
    (log_path), its access log goes to tmp/<name>.access.log (access_path)
    unless access_log is False. Raises RuntimeError, with the stderr, when no
    URL line comes within 60 s."""

    def __init__(self, baogao, db, tmp, name, config=None, extra=(), base_url=None,
                 access_log=True):
        self.name = name
        self.log_path = os.path.join(tmp, name + ".stderr")
        self.access_path = os.path.join(tmp, name + ".access.log") if access_log else None
        args = [baogao, "serve", "--db", db, "--listen", "127.0.0.1:0", "--access-log",
                self.access_path or "none"]
        if base_url:
            args += ["--base-url", base_url]
        if config:
            args += ["--config", config]
        self.err = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args + list(extra), stdout=subprocess.PIPE, stderr=self.err)
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
            raise RuntimeError("server did not start: %r\n%s" % (line, open(self.log_path).read()))
        self.host, self.port = m.group(1).decode(), int(m.group(2))

    def sock(self, timeout=10, rcvbuf=None):
        """A new TCP connection (with that receive buffer, set before connecting)."""
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.settimeout(timeout)
        s.connect((self.host, self.port))
        return s

    def stop(self):
        """SIGTERM; returns the exit status (None if it had to be killed
        after 20 s)."""
        rc = None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        else:
            rc = self.proc.returncode
        self._close()
        return rc

    def kill(self):
        """SIGKILL unless it has exited already; waits for it."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._close()

    def _close(self):
        self.proc.stdout.close()
        self.err.close()


# ---------------------------------------------------------------------------
# HTTP


class Response:
    def __init__(self, status, headers, cookies, body):
        self.status = status
        self.headers = headers  # lower-case names; the last of repeated ones
        self.set_cookies = cookies  # every Set-Cookie value
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def location(self):
        return self.headers.get("location", "")


class Browser:
    """A visitor: one keep-alive connection (opened again when the server
    closes it) and a cookie jar (unless `cookies` is False). With `retry`,
    a request that fails is sent once more on a new connection (the server
    may have closed an idle one). Sends Origin on post(), as browsers do for
    forms. With an `errors` list, every response with status >= 400 is
    appended to it as (what, status, text). `server` is anything with host
    and port; it may be changed between requests."""

    def __init__(self, server, name="browser", headers=None, cookies=True, timeout=30, retry=True,
                 errors=None):
        self.server = server
        self.name = name
        self.cookies = {}
        self.keep_cookies = cookies
        self.extra = dict(headers or {})
        self.timeout = timeout
        self.retry = retry
        self.errors = errors
        self.c = None

    def _conn(self):
        if self.c is None:
            self.c = http.client.HTTPConnection(self.server.host, self.server.port,
                                                timeout=self.timeout)
        return self.c

    def request(self, method, target, body=None, headers=None, what=None):
        h = dict(self.extra)
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        h.update(headers or {})
        for attempt in range(2 if self.retry else 1):
            try:
                c = self._conn()
                c.request(method, target, body=body, headers=h)
                r = c.getresponse()
                data = r.read()
                if (r.getheader("Connection") or "").lower() == "close":
                    self.close()
                break
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt == 1 or not self.retry:
                    raise
        set_cookies = r.msg.get_all("Set-Cookie") or []
        for sc in set_cookies if self.keep_cookies else ():
            name, _, rest = sc.partition("=")
            value = rest.split(";", 1)[0]
            if re.search(r"(?i);\s*max-age=0\b", sc) or value == "":
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        resp = Response(r.status, {k.lower(): v for k, v in r.getheaders()}, set_cookies, data)
        if self.errors is not None and resp.status >= 400:
            self.errors.append((what or "%s %s" % (method, target), resp.status, resp.text))
        return resp

    def get(self, target, headers=None, what=None):
        return self.request("GET", target, headers=headers, what=what)

    def post(self, target, fields, headers=None, what=None):
        """Posts `fields` ([(name, value)] or a dict) url-encoded."""
        if isinstance(fields, dict):
            fields = list(fields.items())
        h = {"Content-Type": "application/x-www-form-urlencoded",
             "Origin": "http://%s:%d" % (self.server.host, self.server.port)}
        h.update(headers or {})
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", target, body=body, headers=h, what=what)

    def close(self):
        if self.c is not None:
            self.c.close()
            self.c = None


def raw_exchange(server, data, body=b"", timeout=10, one=True):
    """Sends raw bytes on a new connection: `data`, then `body`, which the
    server may answer and close before reading (not an error here). Returns
    everything read until the server closes the connection, `timeout`
    passes or (`one`) a whole response with a Content-Length came."""
    s = server.sock(timeout=timeout)
    try:
        s.sendall(data)
        if body:
            try:
                s.sendall(body)
            except OSError:
                pass  # the server answered and closed before reading it all
        out = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except OSError:  # timed out, or reset
                break
            if not chunk:
                break
            out += chunk
            if one and b"\r\n\r\n" in out:
                head, _, rest = out.partition(b"\r\n\r\n")
                m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
                if m and len(rest) >= int(m.group(1)):
                    break
        return out
    finally:
        s.close()


def status_of(raw):
    """The status code of the first response in `raw`, or None."""
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------------------
# HTML


class Forms(html.parser.HTMLParser):
    """Every <form>: its attributes and fields in order (inputs with their
    value attribute, textareas with their text, checked radios only)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": a, "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            self.forms[-1]["fields"].append([a["name"], a.get("value") or ""])
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
            self.forms[-1]["fields"].append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None


def find_form(text, form_id=None, action=None):
    """The form with that id (or whose action starts with `action`) as
    (action, {name: value}); None when absent."""
    p = Forms()
    p.feed(text)
    p.close()
    for f in p.forms:
        a = f["attrs"]
        if (form_id and a.get("id") == form_id) or (action and a.get("action", "").startswith(action)):
            return a.get("action", ""), dict((k, v) for k, v in f["fields"])
    return None


def report_paths(text):
    """The report pages a page links (/<type>/<macro-region>/<id>.html), in
    order, each once."""
    paths = []
    for m in re.finditer(r'href="(/[a-z]+/[a-z]+/\d+\.html)"', text):
        if m.group(1) not in paths:
            paths.append(m.group(1))
    return paths
