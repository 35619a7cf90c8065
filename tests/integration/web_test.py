#!/usr/bin/python3
"""End-to-end checks of `baogao serve`: the real server on 127.0.0.1:0 with a
temporary database (the demo reports plus hostile ones written here), talked
to over HTTP with the standard library only.

  - a crawl of every link reachable from / (and every URL in the sitemap):
    no 404 or 500, fragment links land on an id;
  - escaping of hostile titles, bodies, source URLs and queries in pages,
    feeds (which must parse as XML) and search results;
  - headers on every crawled response (CSP without inline script, nosniff,
    Referrer-Policy, frame-ancestors, charset), ETag/Last-Modified → 304,
    gzip, HEAD;
  - parameter validation (400 with a Chinese message), path traversal;
  - limits on a second server with a small configuration: header line 431,
    slow headers, idle and silent connections closed, too many
    connections 503;
  - /healthz; a report imported by another process becomes searchable;
    SIGTERM with a response in flight → exit 0.

Usage: /usr/bin/python3 tests/integration/web_test.py --baogao PATH [--keep]
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""
import email.utils
import gzip
import html.parser
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET

# The shared harness beside this file (ctest runs the tests as scripts).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baogao_harness as harness  # noqa: E402
from baogao_harness import check, raw_exchange, run, status_of  # noqa: E402

BASE_URL = "https://baogao.example.org"
CJK = re.compile("[\u4e00-\u9fff]")
MAX_URLS = 12000
# Every GB/T 2260 region has a page and two feeds (~9,600 URLs): all are
# crawled, but the per-response 304/gzip/HEAD checks run on the first few.
DEEP_REGION_URLS = 300
# Search result pages link facets that narrow the query, and every region
# page links a search: a combinatorial space. The crawl follows /search
# links from other pages and, from a search page, only to the same query
# (pagination, sort), up to this many.
MAX_SEARCH_URLS = 300

# The hostile markup that must never reach a page unescaped.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
MUSTACHE = "{{mustache}}"
# The importer drops short lines with two '>' as breadcrumbs, so hostile
# titles carry at most one.
TITLE_IMG = '"<img src=x onerror=alert(1)//'
TITLE_SCRIPT = "<script>alert(2)"
RAW_NEEDLES = ["<script>alert", "<img src=x", "<svg/onload", "<a href=\"javascript"]


# ---------------------------------------------------------------------------
# The server under test


class Client(harness.Browser):
    """One keep-alive connection, no cookies (a crawler); answers are
    (status, {lower-case header: value}, body)."""

    def __init__(self, server):
        super().__init__(server, "client", cookies=False)

    def request(self, method, target, headers=None):
        r = super().request(method, target, headers=headers)
        return r.status, r.headers, r.body

    def get(self, target, headers=None):
        return self.request("GET", target, headers)


def log_line(server, marker, deadline=5):
    """The access-log line whose target contains `marker` (polled: the line
    may be written just after the response)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < deadline:
        with open(server.access_path, "rb") as f:
            for line in f:
                if marker.encode() in line:
                    return line.decode("utf-8", "replace")
        time.sleep(0.02)
    return ""


def wait_closed(s, limit):
    """Reads from `s` until EOF/reset; returns seconds until then (or None
    when still open after `limit`) and what was read."""
    t0 = time.monotonic()
    data = b""
    s.settimeout(0.05)
    while time.monotonic() - t0 < limit:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - t0, data
        if not chunk:
            return time.monotonic() - t0, data
        data += chunk
    return None, data


# ---------------------------------------------------------------------------
# HTML inspection


class Links(html.parser.HTMLParser):
    """Collects link targets, ids, script/handler attributes and text."""

    ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action",
             "iframe": "src", "source": "src"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (tag, url)
        self.ids = set()
        self.scripts = 0  # <script> elements (inline or not)
        self.handlers = []  # on* attributes
        self.bad_urls = []  # javascript:/data:/vbscript: in URL attributes
        self.marks = []
        self.in_mark = 0
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "mark":
            self.in_mark += 1
            self.marks.append("")
        for k, v in attrs:
            if k.startswith("on"):
                self.handlers.append((tag, k, v))
            if k in ("href", "src", "action", "formaction", "srcset", "poster", "data") and v:
                scheme = re.sub(r"[\x00-\x20]", "", v).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.bad_urls.append((tag, k, v))
        if "id" in a:
            self.ids.add(a["id"])
        if "name" in a and tag == "a":
            self.ids.add(a["name"])
        want = self.ATTRS.get(tag)
        if want and a.get(want) is not None:
            self.links.append((tag, a[want]))

    def handle_endtag(self, tag):
        if tag == "mark" and self.in_mark:
            self.in_mark -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self.in_mark and self.marks:
            self.marks[-1] += data


def parse_html(body):
    p = Links()
    p.feed(body.decode("utf-8", "replace"))
    p.close()
    return p


def hostile_in(body):
    """The hostile needles found unescaped in a response body."""
    text = body.decode("utf-8", "replace")
    return [n for n in RAW_NEEDLES if n in text]


def header_problems(status, h, body, path):
    """What is wrong with a response's security and content headers."""
    bad = []
    csp = h.get("content-security-policy", "")
    if not csp:
        bad.append("no Content-Security-Policy")
    else:
        directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
        script = directives.get("script-src", directives.get("default-src", ""))
        if not script:
            bad.append("CSP without script-src or default-src")
        if "'unsafe-inline'" in script or "'unsafe-eval'" in script:
            bad.append("CSP allows inline script: " + script)
        if "frame-ancestors" not in directives:
            bad.append("CSP without frame-ancestors")
    if h.get("x-content-type-options", "").lower() != "nosniff":
        bad.append("X-Content-Type-Options: %r" % h.get("x-content-type-options"))
    if not h.get("referrer-policy"):
        bad.append("no Referrer-Policy")
    ct = h.get("content-type", "")
    if body and not ct:
        bad.append("no Content-Type")
    if (ct.startswith("text/") or "xml" in ct or "json" in ct) and "charset=" not in ct.lower():
        bad.append("no charset in " + ct)
    if status == 200 and "content-length" not in h and "transfer-encoding" not in h:
        bad.append("no Content-Length")
    return bad


# ---------------------------------------------------------------------------
# Test data


def write_hostile(tmp):
    """Plain-text reports with hostile titles, bodies and source URLs; each
    is imported with its own flags. Returns [(path, flags, title fragment)]."""
    d = os.path.join(tmp, "hostile")
    os.makedirs(d)
    files = []

    def add(name, lines, flags, marker):
        path = os.path.join(d, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        files.append((path, flags, marker))

    add("h1.txt", [
        "德州市陵城区" + TITLE_IMG + MUSTACHE + "人民政府工作报告（演示数据）",
        "——2020年1月9日",
        "",
        "一、" + TITLE_SCRIPT + "标题里的脚本",
        "　　演示数据：正文里有 " + SCRIPT + " 和 " + IMG + " 以及 {{> layout}} 与 {{{body_html}}}。",
        "　　演示数据：链接 javascript:alert(1) 与 <a href=\"javascript:alert(1)\">点我</a>，"
        "已转义的 &lt;b&gt; 与 &amp;amp;，鲲鹏敌意测试。",
        "二、" + TITLE_IMG + "第二部分",
        "　　演示数据：<svg/onload=alert(1)> ]]></title><title> 结束。",
    ], ["--type", "baogao", "--region", "371403", "--year", "2020", "--source-url",
         "javascript:alert(1)"], "标题里的脚本")
    add("h2.txt", [
        "山東省經濟發展ＡＢＣ１２３统计公报（演示數據）",
        "——2018年2月1日",
        "",
        "一、經濟發展總體情況",
        "　　演示數據：全省經濟發展穩中有進，ＧＤＰ增長６．５％，全角字符与繁体字混排。",
    ], ["--type", "gongbao", "--region", "370000", "--year", "2018", "--source-url",
         " JaVaScRiPt:alert(document.cookie)"], "經濟發展")
    add("h3.txt", [
        "广东省" + TITLE_SCRIPT + "发展规划（演示数据）",
        "——2017年3月1日",
        "",
        "一、总体要求",
        "　　演示数据：<script>alert(2)</script> 规划正文，鲲鹏引号测试。",
    ], ["--type", "guihua", "--region", "440000", "--year", "2017", "--source-url",
         'http://example.gov.cn/a?x="><script>alert(2)</script>&y=1'], "总体要求")
    return files


def main():
    return harness.main("baogao_web_", run_all)


def run_all(args, tmp, servers):
    b = args.baogao
    db = os.path.join(tmp, "site.db")
    harness.init_demo(b, db)
    hostile_ids = {}
    for path, flags, marker in write_hostile(tmp):
        r = run([b, "import", path, "--db", db, "--json"] + flags)
        out = r.stdout.decode("utf-8", "replace")
        m = re.search(r'"report_id":\s*(\d+)', out)
        check("hostile import " + os.path.basename(path), r.returncode == 0 and m, out + r.stderr.decode())
        if m:
            hostile_ids[os.path.basename(path)] = int(m.group(1))

    srv = harness.Server(b, db, tmp, "main", base_url=BASE_URL)
    servers.append(srv)
    c = Client(srv)

    status, h, body = c.get("/healthz")
    check("/healthz 200", status == 200, (status, body[:200]))
    c.get("/healthz?xff=untrusted", {"X-Forwarded-For": "203.0.113.9"})
    line = log_line(srv, "xff=untrusted")
    check("X-Forwarded-For from an untrusted peer is ignored (access log)",
          line.startswith("127.0.0.1 "), line)

    crawled = crawl(srv, c)
    hostile_pages(srv, c, hostile_ids)
    bad_parameters(c)
    traversal(srv)
    import_while_serving(b, db, tmp, c)
    sigterm_in_flight(srv)
    check("access log written", os.path.getsize(srv.access_path) > 0, srv.access_path)

    limits(b, db, tmp, servers)


# ---------------------------------------------------------------------------
# Crawl


def crawl(srv, c):
    """Breadth-first from / over same-host links; returns {path: (status,
    headers, body)} for every 200 response."""
    t0 = time.monotonic()
    origin = "http://%s:%d" % (srv.host, srv.port)
    base_parts = urllib.parse.urlsplit(BASE_URL)
    queue = ["/"]
    seen = {"/"}
    referrer = {"/": "(start)"}
    pages = {}
    broken, header_bad, hostile, fragments, redirects = [], [], [], [], 0
    scripts = []
    pending_fragments = []  # (page, target path, fragment)
    rep = Representation()

    n_search = [0]
    n_deep_region = [0]

    def query_of(target):
        qs = urllib.parse.parse_qs(urllib.parse.urlsplit(target).query)
        return qs.get("q", [""])[0]

    def enqueue(url, frm):
        parts = urllib.parse.urlsplit(urllib.parse.urljoin(origin + frm, url))
        if parts.scheme not in ("http", "https"):
            return None
        if parts.netloc == base_parts.netloc:  # absolute links to the public URL
            pass
        elif parts.netloc != "%s:%d" % (srv.host, srv.port):
            return None
        target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        if target in seen:
            return target
        if parts.path.startswith("/captcha/"):
            return None  # per-form images, rate-limited per client: comments_test.py
        if parts.path == "/search" and parts.query:
            if n_search[0] >= MAX_SEARCH_URLS or \
                    (frm.startswith("/search?") and query_of(frm) != query_of(target)):
                return None
            n_search[0] += 1
        if len(seen) < MAX_URLS:
            seen.add(target)
            referrer[target] = frm
            queue.append(target)
        return target

    while queue:
        target = queue.pop(0)
        status, h, body = c.get(target)
        if status in (301, 302, 303, 307, 308):
            redirects += 1
            loc = h.get("location", "")
            if not loc:
                broken.append((target, status, "redirect without Location"))
            else:
                enqueue(loc, target)
            continue
        if status != 200:
            broken.append((target, status, "from " + referrer.get(target, "?")))
            continue
        pages[target] = (status, h, body)
        if not target.startswith("/region/") or n_deep_region[0] < DEEP_REGION_URLS:
            n_deep_region[0] += target.startswith("/region/")
            rep.check(c, target, h, body)
        bad = header_problems(status, h, body, target)
        if bad:
            header_bad.append((target, bad))
        ct = h.get("content-type", "")
        found = hostile_in(body) if ("html" in ct or "xml" in ct) else []
        if found:
            hostile.append((target, found))
        if "html" in ct:
            p = parse_html(body)
            if p.scripts or p.handlers or p.bad_urls:
                scripts.append((target, p.scripts, p.handlers[:3], p.bad_urls[:3]))
            for tag, url in p.links:
                if url.startswith("#"):
                    if url[1:] and url[1:] not in p.ids:
                        fragments.append((target, url))
                    continue
                t = enqueue(url.split("#")[0] or target, target)
                if "#" in url and t:
                    pending_fragments.append((target, t, url.split("#", 1)[1]))
        elif "xml" in ct:
            try:
                root = ET.fromstring(body)
            except ET.ParseError as e:
                broken.append((target, status, "XML does not parse: %s" % e))
                continue
            # Feed and sitemap links are the public URLs: follow them here.
            for el in root.iter():
                tag = el.tag.split("}")[-1]
                url = None
                if tag in ("loc", "link") and el.text and el.text.strip():
                    url = el.text.strip()
                elif tag == "link" and el.get("href"):
                    url = el.get("href")
                if url:
                    if not url.startswith(BASE_URL + "/"):
                        broken.append((target, status, "XML link outside the base URL: " + url))
                    else:
                        enqueue(url[len(BASE_URL):], target)
    for page, t, frag in pending_fragments:
        if t in pages and "html" in pages[t][1].get("content-type", ""):
            if frag and frag not in parse_html(pages[t][2]).ids:
                fragments.append((page, t + "#" + frag))

    n_reports = sum(1 for p in pages if re.match(r"^/[a-z]+/[a-z]+/\d+\.html$", p))
    print("       crawled %d URLs (%d pages 200, %d redirects, %d report pages, %d searches) in %.1f s"
          % (len(seen), len(pages), redirects, n_reports, n_search[0], time.monotonic() - t0))
    shapes = {}
    for u in seen:
        shape = re.sub(r"\d+", "N", u.split("?")[0]) + ("?" if "?" in u else "")
        shapes[shape] = shapes.get(shape, 0) + 1
    check("crawl: stays under %d URLs" % MAX_URLS, len(seen) < MAX_URLS,
          sorted(shapes.items(), key=lambda kv: -kv[1])[:12])
    rep.report(pages)
    check("crawl: no 404/500 (or other non-200) from any link", not broken, broken[:30])
    check("crawl: every report page reached (42 demo - 2 duplicates + 3 hostile)",
          n_reports >= 43, n_reports)
    check("crawl: security and charset headers on every response", not header_bad, header_bad[:10])
    check("crawl: no hostile markup unescaped anywhere", not hostile, hostile[:10])
    check("crawl: no <script>, on* handler or javascript:/data: URL in any page", not scripts,
          scripts[:10])
    check("crawl: every #fragment link lands on an id", not fragments, fragments[:10])
    for must in ("/sitemap.xml", "/rss.xml", "/atom.xml", "/region/", "/baogao/",
                 "/baogao/huadong/", "/search"):
        check("crawl: reached " + must, any(p == must for p in pages), sorted(pages)[:40])
    listings = [p for p in pages if re.match(r"^/(baogao|gongbao|guihua)/(\w+/)?(\?page=\d+)?$", p)]
    check("crawl: listings by type and macro-region (national under quanguo)",
          any("/quanguo/" in p for p in seen) or len(listings) >= 6, listings)
    check("crawl: region tree province → prefecture → county",
          "/region/370000/" in pages and "/region/371400/" in pages and "/region/371403/" in pages,
          [p for p in pages if p.startswith("/region/")])
    check("crawl: year pages", any(p.startswith("/year/") for p in pages), None)

    # robots.txt points at the sitemap; the sitemap covers every report.
    status, h, robots = c.get("/robots.txt")
    check("robots.txt: 200 text/plain naming the sitemap", status == 200 and
          h.get("content-type", "").startswith("text/plain") and
          ("Sitemap: " + BASE_URL + "/sitemap.xml").encode() in robots and
          not header_problems(status, h, robots, "/robots.txt"), robots)
    sitemap_urls = sitemap_locs(c)
    report_urls = {u for u in sitemap_urls if re.search(r"/\d+\.html$", u)}
    check("sitemap: every report page", len(report_urls) == n_reports, (len(report_urls), n_reports))
    missing = []
    for u in sorted(sitemap_urls):
        status, h, body = c.get(u[len(BASE_URL):])
        if status != 200:
            missing.append((u, status))
    check("sitemap: every URL answers 200 (%d URLs)" % len(sitemap_urls), not missing, missing[:20])

    # Canonical links and Open Graph on HTML pages use the base URL.
    home = parse_html(pages["/"][2])
    text = pages["/"][2].decode()
    check("home: canonical and og:url under the base URL",
          '<link rel="canonical" href="%s/">' % BASE_URL in text and
          'property="og:url" content="%s/"' % BASE_URL in text, text[:1500])
    check("home: navigation menu, search box, counts",
          "导航菜单" in text and 'action="/search"' in text and re.search(r"共收录\s*<strong>\d+", text),
          text[:3000])
    return pages


def sitemap_locs(c):
    """Every <loc> in /sitemap.xml, following a sitemap index."""
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    status, h, body = c.get("/sitemap.xml")
    urls, todo = set(), [body]
    while todo:
        root = ET.fromstring(todo.pop())
        if root.tag == ns + "sitemapindex":
            for loc in root.iter(ns + "loc"):
                todo.append(c.get(loc.text.strip()[len(BASE_URL):])[2])
        else:
            urls |= {loc.text.strip() for loc in root.iter(ns + "loc")}
    return urls


# ---------------------------------------------------------------------------
# Escaping of hostile data


def hostile_pages(srv, c, ids):
    pages = {}
    # Each report's URL, from its region's page (which lists every report).
    region_of = {"h1.txt": "371403", "h2.txt": "370000", "h3.txt": "440000"}
    for name, rid in ids.items():
        status, h, body = c.get("/region/%s/" % region_of[name])
        m = re.search(r'href="(/[a-z]+/[a-z]+/%d\.html)"' % rid, body.decode())
        check("hostile %s: listed on its region page" % name, m, body[:500])
        if not m:
            continue
        status, h, body = c.get(m.group(1))
        pages[name] = (m.group(1), body)
        text = body.decode()
        p = parse_html(body)
        check("hostile %s: report page 200, nothing unescaped" % name,
              status == 200 and not hostile_in(body) and not p.scripts and not p.handlers
              and not p.bad_urls, (status, hostile_in(body), p.handlers, p.bad_urls))
        check("hostile %s: permalink (本文地址) is the base URL + path" % name,
              "本文地址" in text and BASE_URL + m.group(1) in text, None)

    if pages.get("h1.txt"):
        path, body = pages["h1.txt"]
        text = body.decode()
        p = parse_html(body)
        visible = "".join(p.text)
        check("h1: title shown verbatim (escaped, not interpreted)",
              TITLE_IMG in visible and MUSTACHE in visible and SCRIPT in visible and IMG in visible,
              re.findall(r"<h1[^>]*>.*?</h1>", text, re.S))
        check("h1: body keeps literal {{> layout}} and {{{body_html}}}",
              "{{> layout}}" in visible and "{{{body_html}}}" in visible, None)
        check("h1: already-escaped text is escaped again, not decoded",
              "&amp;lt;b&amp;gt;" in text and "&lt;b&gt;" in visible, None)
        check("h1: javascript: source URL is not a link",
              not re.search(r'href="\s*javascript', text, re.I) and not p.bad_urls, p.bad_urls)
        check("h1: table of contents with hostile heading text escaped, anchors exist",
              all(u[1:] in p.ids for t, u in p.links if u.startswith("#") and u != "#main")
              and sum(1 for t, u in p.links if u.startswith("#") and u != "#main") >= 2,
              [u for t, u in p.links if u.startswith("#")])
    if pages.get("h2.txt"):
        path, body = pages["h2.txt"]
        p = parse_html(body)
        check("h2: ' JaVaScRiPt:' source URL is not a link", not p.bad_urls and
              not re.search(r'href="[^"]*script:', body.decode(), re.I), p.bad_urls)
    if pages.get("h3.txt"):
        path, body = pages["h3.txt"]
        text = body.decode()
        p = parse_html(body)
        hrefs = [u for t, u in p.links if "example.gov.cn" in u]
        check("h3: http source URL with quotes is a link whose attribute stays closed",
              hrefs and all('"><script>' in u for u in hrefs) and not hostile_in(body),
              (hrefs, hostile_in(body)))

    # Search: the hostile query is echoed escaped; hostile titles in results.
    for q in (SCRIPT, IMG, MUSTACHE, "javascript:alert(1)", "鲲鹏", "alert", "經濟發展", "ＡＢＣ"):
        status, h, body = c.get("/search?q=" + urllib.parse.quote(q))
        p = parse_html(body)
        # An unbalanced quote is a syntax error: 400, with the query shown.
        check("search %r: %s, nothing unescaped, no script" % (q, 400 if '"' in q else 200),
              status == (400 if '"' in q else 200) and CJK.search(body.decode()) and not hostile_in(body) and not p.scripts and not p.handlers
              and not p.bad_urls, (status, hostile_in(body), p.handlers))
        if q == SCRIPT:
            check("search echoes the query escaped in the box",
                  'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in body.decode(),
                  re.findall(r'<input[^>]*name="q"[^>]*>', body.decode()))
        if q == "鲲鹏":
            check("search 鲲鹏: both hostile reports found, <mark> highlights",
                  all("/%d.html" % ids[n] in body.decode() for n in ("h1.txt", "h3.txt") if n in ids)
                  and p.marks and all(m == "鲲鹏" for m in p.marks), (p.marks, body[-3000:]))
        if q == "經濟發展" and "h2.txt" in ids:
            simplified = c.get("/search?q=" + urllib.parse.quote("经济发展"))[2].decode()
            hits = lambda t: re.findall(r'class="report-link" href="([^"]+)"', t)
            check("search folds traditional → simplified (經濟發展 = 经济发展, shown normalised)",
                  "/%d.html" % ids["h2.txt"] in body.decode() and hits(body.decode()) ==
                  hits(simplified) and "经济发展" in body.decode().split("查询理解为")[-1][:200],
                  (hits(body.decode()), hits(simplified)))
        if q == "ＡＢＣ" and "h2.txt" in ids:
            check("search folds full-width (ＡＢＣ finds the report)",
                  "/%d.html" % ids["h2.txt"] in body.decode(), None)
    # 404 and 400 pages do not echo hostile paths or values unescaped.
    status, h, body = c.get("/" + urllib.parse.quote(SCRIPT + IMG))
    check("404 for a hostile path: Chinese page, nothing unescaped",
          status == 404 and CJK.search(body.decode()) and not hostile_in(body),
          (status, hostile_in(body)))
    status, h, body = c.get("/search?sort=" + urllib.parse.quote(SCRIPT))
    check("400 for a hostile sort value: nothing unescaped", status == 400 and not hostile_in(body),
          (status, hostile_in(body)))
    # Feeds: parse as XML, hostile titles survive as text.
    for feed in ("/rss.xml", "/atom.xml", "/region/371403/rss.xml", "/region/371403/atom.xml",
                 "/baogao/rss.xml", "/baogao/atom.xml", "/region/440000/atom.xml"):
        status, h, body = c.get(feed)
        try:
            root = ET.fromstring(body)
            titles = [el.text or "" for el in root.iter() if el.tag.split("}")[-1] == "title"]
            ok = True
        except ET.ParseError as e:
            titles, ok = [str(e)], False
        check("feed %s: 200, parses, XML content type" % feed,
              status == 200 and ok and "xml" in h.get("content-type", ""), (status, titles[:3]))
        if feed.startswith("/region/371403/"):
            check("feed %s: the hostile title comes back as text" % feed,
                  any(TITLE_IMG in t and MUSTACHE in t for t in titles), titles)
        check("feed %s: no raw markup" % feed, b"<script" not in body and b"<img" not in body,
              None)


# ---------------------------------------------------------------------------
# Conditional requests, gzip, HEAD


class Representation:
    """Per-response checks of validators, gzip and HEAD, made right after
    the crawl's GET (before a view count or a cache eviction can change the
    page); the findings are summed up by report()."""

    def __init__(self):
        self.no304, self.no_lm, self.bad_gzip, self.bad_head = [], [], [], []
        self.gz_count = 0

    # Pages with a comment form carry per-visitor tokens (docs/comments.md)
    # and the live view count: no-store, no validators; compared with
    # these masked.
    TOKENS = re.compile(rb'(name="(?:_csrf|token)" value=")[^"]*|(/captcha/)[^"]*(\.png)'
                        rb'|(\xe7\x82\xb9\xe5\x87\xbb\xe9\x87\x8f )[0-9]+')

    @classmethod
    def masked(cls, body):
        return cls.TOKENS.sub(
            lambda m: (m.group(1) or m.group(2) or m.group(4)) + b"X" + (m.group(3) or b""), body)

    @staticmethod
    def gunzip(data):
        """The bytes gzipped in `data`, or the error as bytes (never equal
        to a page)."""
        try:
            return gzip.decompress(data)
        except OSError as e:
            return str(e).encode()

    def check(self, c, path, h, body):
        etag = h.get("etag")
        if "no-store" in h.get("cache-control", ""):
            return self.check_personal(c, path, h, body)
        if not etag:
            self.no304.append((path, "no ETag"))
        else:
            s2, h2, b2 = c.get(path, {"If-None-Match": etag})
            if s2 != 304 or b2:
                self.no304.append((path, s2, len(b2)))
            elif h2.get("etag") != etag:
                self.no304.append((path, "304 with another ETag", h2.get("etag")))
            s3, _, _ = c.get(path, {"If-None-Match": '"not-the-etag"'})
            if s3 != 200:
                self.no304.append((path, "wrong ETag gave", s3))
        lm = h.get("last-modified")
        if lm:
            s2, _, b2 = c.get(path, {"If-Modified-Since": lm})
            if s2 != 304:
                self.no_lm.append((path, s2))
        ct = h.get("content-type", "")
        if ct.startswith("text/") or "xml" in ct:
            s2, h2, b2 = c.get(path, {"Accept-Encoding": "gzip"})
            if h2.get("content-encoding") == "gzip":
                self.gz_count += 1
                if self.gunzip(b2) != body:
                    self.bad_gzip.append((path, "decompresses to other bytes"))
                if "accept-encoding" not in h2.get("vary", "").lower():
                    self.bad_gzip.append((path, "gzip without Vary: Accept-Encoding"))
                if etag and h2.get("etag") == etag and not etag.startswith("W/"):
                    # RFC 9110 8.8.1: a strong validator names one
                    # representation; gzip and identity are two.
                    self.bad_gzip.append((path, "same strong ETag for gzip and identity"))
            elif len(body) > 1024:
                self.bad_gzip.append((path, "no gzip for %d bytes of %s" % (len(body), ct)))
            if "accept-encoding" not in h.get("vary", "").lower() and len(body) > 1024:
                self.bad_gzip.append((path, "identity response without Vary: Accept-Encoding"))
        s2, h2, b2 = c.request("HEAD", path)
        if s2 != 200 or b2 or h2.get("content-length") != str(len(body)) or \
                h2.get("etag") != etag:
            self.bad_head.append((path, s2, len(b2), h2.get("content-length"), len(body)))

    def check_personal(self, c, path, h, body):
        if h.get("etag") or h.get("last-modified"):
            self.no304.append((path, "a validator on a no-store page"))
        if "private" not in h.get("cache-control", ""):
            self.no304.append((path, "no-store without private", h.get("cache-control")))
        s2, h2, b2 = c.get(path, {"Accept-Encoding": "gzip"})
        if h2.get("content-encoding") == "gzip":
            self.gz_count += 1
            if self.masked(self.gunzip(b2)) != self.masked(body):
                self.bad_gzip.append((path, "decompresses to other bytes (tokens masked)"))
        elif len(body) > 1024 and b"<html" in body[:200]:
            self.bad_gzip.append((path, "no gzip for a personal page"))
        s2, h2, b2 = c.request("HEAD", path)
        if s2 != 200 or b2:
            self.bad_head.append((path, s2, len(b2)))

    def report(self, pages):
        no304, no_lm, bad_gzip, bad_head, gz_count = (self.no304, self.no_lm, self.bad_gzip,
                                                       self.bad_head, self.gz_count)
        check("ETag on every 200, If-None-Match → 304 (and a wrong one → 200)", not no304, no304[:10])
        check("Last-Modified (where present) + If-Modified-Since → 304", not no_lm, no_lm[:10])
        check("gzip on accepted text over 1 KiB, same bytes after decompression (%d gzipped)" % gz_count,
              not bad_gzip and gz_count > 0, bad_gzip[:10])
        check("HEAD: same Content-Length and ETag, no body", not bad_head, bad_head[:10])
        # Caching of fingerprinted static assets.
        static = [p for p in pages if p.startswith("/static/")]
        check("static assets fingerprinted and cached for a long time",
              static and all("immutable" in pages[p][1].get("cache-control", "") or
                             "max-age=31536000" in pages[p][1].get("cache-control", "")
                             for p in static), [(p, pages[p][1].get("cache-control")) for p in static])


# ---------------------------------------------------------------------------
# Parameters and paths


def bad_parameters(c):
    for target in ("/search?q=%E5%8F%91%E5%B1%95&page=abc", "/search?q=x&page=0",
                   "/search?q=x&page=99999999999999999999", "/search?q=x&page=-1",
                   "/search?q=x&page=1e3", "/search?q=%E5%8F%91%E5%B1%95&sort=evil",
                   "/search?q=%FF", "/search?q=%E5%8F%FF", "/search?q=%C0%AF",
                   "/search?q=x&page=1&page=2", "/search?q=" + "%E5%8F%91" * 700,
                   "/baogao/?page=abc", "/baogao/huadong/?page=0", "/year/2023/?page=x"):
        status, h, body = c.get(target)
        text = body.decode("utf-8", "replace")
        check("400 with a Chinese message: " + target[:70],
              status == 400 and CJK.search(text) and "text/html" in h.get("content-type", ""),
              (status, text[-600:]))
    # Pages past the end (within the accepted range) are never a 500.
    for target in ("/baogao/?page=5002", "/baogao/huadong/?page=10000", "/year/2023/?page=10000",
                   "/search?q=%E5%8F%91%E5%B1%95&page=10000", "/search?q=&sort=newest&page=10000"):
        status, h, body = c.get(target)
        check("far page %s: 400/404 or a 200 page, never 500" % target,
              status in (200, 400, 404) and CJK.search(body.decode()), status)
    # A page past the end is a helpful page, not an error.
    status, h, body = c.get("/search?q=%E5%8F%91%E5%B1%95&page=50")
    check("search page past the end: 200 or 404, Chinese", status in (200, 404) and
          CJK.search(body.decode()), status)
    status, h, body = c.get("/search?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E8%AF%8Dqqqzzz")
    check("search with no hits: 200, helpful page", status == 200 and "没有找到" in body.decode(),
          status)
    status, h, body = c.get("/baogao/huadong/999999.html")
    check("unknown report id: 404 in Chinese", status == 404 and CJK.search(body.decode()), status)
    status, h, body = c.request("POST", "/search")
    check("POST: 405 with Allow", status == 405 and "GET" in h.get("allow", ""), (status, h))


def traversal(srv):
    offenders = []
    for target in ("/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                   "/static/..%2fsite.css", "/static/..%2f..%2f..%2fetc%2fpasswd",
                   "/static/%2e%2e%2ftemplates%2flayout.mustache", "/%2e%2e/%2e%2e/etc/passwd",
                   "/../../../../etc/passwd", "/static/..\\..\\..\\etc\\passwd",
                   "/static/site.css", "/static/site.css%00.png", "/static/%00",
                   "/static//etc/passwd", "/static/%252e%252e/etc/passwd",
                   "/templates/layout.mustache", "/static/../templates/layout.mustache"):
        raw = raw_exchange(srv, ("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                 % target).encode())
        st = status_of(raw)
        if st not in (400, 404) or b"root:" in raw or b"{{" in raw or b"mustache" in raw:
            offenders.append((target, st, raw[:200]))
    check("path traversal: 400/404, never file contents", not offenders, offenders)


# ---------------------------------------------------------------------------
# A report imported while the server runs


def import_while_serving(b, db, tmp, c):
    _, _, home = c.get("/")
    before = re.search(r"共收录\s*<strong>(\d+)", home.decode())
    # A feed with no entries (北京市 has no reports) says nothing changed
    # when data elsewhere changes.
    _, empty_h, _ = c.get("/region/110000/atom.xml")
    path = os.path.join(tmp, "live.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("德州市陵城区人民政府工作报告（演示数据）\n——2019年1月9日\n\n"
                "一、工作回顾\n　　演示数据：饕餮实时检索测试，服务运行时导入。\n")
    status, _, body = c.get("/search?q=%E9%A5%95%E9%A4%AE")  # 饕餮: cached as "no hits"
    check("live import: not found before", status == 200 and "没有找到" in body.decode(), status)
    r = run([b, "import", path, "--db", db, "--region", "371403", "--year", "2019"])
    t0 = time.monotonic()
    check("live import: second process imports while the server runs", r.returncode == 0, r.stderr)
    found = None
    while time.monotonic() - t0 < 5:
        status, _, body = c.get("/search?q=%E9%A5%95%E9%A4%AE")
        if status == 200 and "<mark>饕餮</mark>" in body.decode():
            found = time.monotonic() - t0
            break
        time.sleep(0.02)  # polling interval, bounded by the deadline above
    print("       searchable %.3f s after the import exited" % (found if found else -1))
    check("live import: searchable within 1.5 s (%s)" % ("%.2f s" % found if found else "never"),
          found is not None and found <= 1.5, found)
    # The clock has moved past the empty feed's first rendering (a condition
    # with a deadline: the import above usually took longer than that).
    lm = empty_h.get("last-modified", "")
    lm_epoch = email.utils.parsedate_to_datetime(lm).timestamp() if lm else 0
    while time.time() < lm_epoch + 1.1:
        time.sleep(0.05)
    _, h, _ = c.get("/region/110000/atom.xml")
    check("an empty feed keeps its ETag and Last-Modified when other data changes",
          h.get("etag") == empty_h.get("etag") and h.get("last-modified", "") == lm,
          (empty_h.get("etag"), lm, h.get("etag"), h.get("last-modified")))
    _, _, home = c.get("/")
    after = re.search(r"共收录\s*<strong>(\d+)", home.decode())
    check("live import: the cached home page count went up by one",
          before and after and int(after.group(1)) == int(before.group(1)) + 1,
          (before and before.group(1), after and after.group(1)))


# ---------------------------------------------------------------------------
# SIGTERM with a response in flight


def sigterm_in_flight(srv):
    c = Client(srv)
    status, h, body = c.get("/sitemap.xml")
    # A keep-alive connection that sits idle, and one reading a big response
    # slowly through a small receive buffer.
    idle = srv.sock(timeout=5)
    idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    first = idle.recv(65536)
    slow = srv.sock(timeout=10, rcvbuf=2048)
    targets = ["/search?q=%E5%8F%91%E5%B1%95&page=" + str(i) for i in (1, 2)] + \
              ["/baogao/", "/region/370000/", "/"]
    req = b"".join(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % t).encode() for t in targets)
    slow.sendall(req)
    got = slow.recv(1)  # the first response has started
    srv.proc.send_signal(signal.SIGTERM)
    data = got
    slow.settimeout(10)
    while True:
        try:
            chunk = slow.recv(8192)
        except (socket.timeout, ConnectionResetError):
            break
        if not chunk:
            break
        data += chunk
    complete, truncated = 0, False
    rest = data
    while rest:
        head, sep, rest = rest.partition(b"\r\n\r\n")
        m = re.search(rb"(?i)content-length:\s*(\d+)", head)
        if not sep or not m or len(rest) < int(m.group(1)):
            truncated = bool(head)
            break
        rest = rest[int(m.group(1)):]
        complete += 1
    try:
        rc = srv.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        rc = "still running"
    check("SIGTERM: the response in flight completes (%d of %d pipelined answered, none cut)"
          % (complete, len(targets)), complete >= 1 and not truncated, (complete, truncated, data[:300]))
    check("SIGTERM: exit status 0", rc == 0, (rc, open(srv.log_path, "rb").read()[-2000:]))
    t, _ = wait_closed(idle, 1)
    check("SIGTERM: the idle keep-alive connection was closed", status_of(first) == 200 and
          t is not None, first[:100])
    try:
        socket.create_connection((srv.host, srv.port), timeout=2).close()
        refused = False
    except OSError:
        refused = True
    check("SIGTERM: the port no longer accepts connections", refused, None)
    idle.close()
    slow.close()
    srv.stop()


# ---------------------------------------------------------------------------
# Limits, on a server with a small configuration


def limits(b, db, tmp, servers):
    max_conn, header_ms, idle_ms = 6, 800, 2000
    conf = harness.write_config(tmp, "limits", """
[server]
max_connections = %d
header_timeout_ms = %d
idle_timeout_ms = %d
body_limit = 4096
trusted_proxies = ["127.0.0.1"]
""" % (max_conn, header_ms, idle_ms))
    srv = harness.Server(b, db, tmp, "limits", config=conf, base_url=BASE_URL)
    servers.append(srv)

    raw_exchange(srv, b"GET /healthz?xff=trusted HTTP/1.1\r\nHost: x\r\n"
                 b"X-Forwarded-For: 198.51.100.7, 203.0.113.9\r\n\r\n")
    line = log_line(srv, "xff=trusted")
    check("X-Forwarded-For from a trusted proxy: the last hop is the client",
          line.startswith("203.0.113.9 "), line)
    raw = raw_exchange(srv, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n")
    check("a 9 KB header line → 431", status_of(raw) == 431, raw[:200])
    raw = raw_exchange(srv, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    check("a 9 KB request line → 414 or 431", status_of(raw) in (414, 431), raw[:200])
    raw = raw_exchange(srv, b"GET / HTTP/1.1\r\nHost: x\r\n" +
                       b"".join(b"X-H%d: %s\r\n" % (i, b"b" * 4000) for i in range(20)) + b"\r\n")
    check("80 KB of headers in short lines → 431", status_of(raw) == 431, raw[:200])
    raw = raw_exchange(srv, b"GET / HTTP/1.1\r\nHost: x\r\nX-Ok: " + b"a" * 7000 + b"\r\n\r\n")
    check("a 7 KB header line is fine → 200", status_of(raw) == 200, raw[:200])
    raw = raw_exchange(srv, b"POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
                       + b"x" * 5000)
    check("a body over body_limit → 413", status_of(raw) == 413, raw[:200])
    raw = raw_exchange(srv, b"NONSENSE\r\n\r\n")
    check("a malformed request → 400", status_of(raw) == 400, raw[:200])

    # Pipelining: three requests in one write come back in order.
    raw = raw_exchange(srv, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                       b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                       b"GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=5,
                       one=False)
    check("pipelined requests answered in order (200, 404, 200)",
          re.findall(rb"HTTP/1\.1 (\d{3})", raw) == [b"200", b"404", b"200"],
          re.findall(rb"HTTP/1\.1 (\d{3})", raw))

    # Slow headers: partial headers, then nothing; then a trickle (the
    # deadline counts from the first byte, not from the last).
    s = srv.sock()
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    t, data = wait_closed(s, header_ms / 1000 + 3)
    s.close()
    check("slowloris: partial headers closed after ~%d ms (took %s)" % (header_ms, t),
          t is not None and header_ms / 1000 * 0.8 <= t <= header_ms / 1000 + 1.5, (t, data[:100]))
    s = srv.sock()
    s.sendall(b"GET / HTTP/1.1\r\n")
    t0 = time.monotonic()
    closed_at = None
    for i in range(40):
        try:
            s.sendall(b"X-Drip-%d: y\r\n" % i)
        except OSError:
            closed_at = time.monotonic() - t0
            break
        r, _, _ = select.select([s], [], [], 0.1)
        if r:
            try:
                if not s.recv(65536):
                    closed_at = time.monotonic() - t0
                    break
            except OSError:
                closed_at = time.monotonic() - t0
                break
    s.close()
    check("slowloris trickle: closed within header timeout + 1.5 s (took %s)" % closed_at,
          closed_at is not None and closed_at <= header_ms / 1000 + 1.5, closed_at)
    s = srv.sock()
    t, data = wait_closed(s, max(header_ms, idle_ms) / 1000 + 3)
    s.close()
    check("a connection that never sends a byte is closed (took %s)" % t,
          t is not None and t <= max(header_ms, idle_ms) / 1000 + 1.5, t)
    s = srv.sock()
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    t, data = wait_closed(s, idle_ms / 1000 + 3)
    s.close()
    check("an idle keep-alive connection is closed after ~%d ms (took %s)" % (idle_ms, t),
          status_of(data) == 200 and t is not None and idle_ms / 1000 * 0.8 <= t <= idle_ms / 1000 + 1.5,
          (t, data[:100]))

    # Too many connections: max_conn open and answered, the next gets 503.
    held = []
    try:
        for _ in range(max_conn):
            s = srv.sock()
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            first = s.recv(65536)
            held.append((s, status_of(first)))
        check("%d connections held open, each answered" % max_conn,
              all(st == 200 for _, st in held), [st for _, st in held])
        raw = raw_exchange(srv, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", timeout=5)
        check("connection %d → 503 and closed" % (max_conn + 1), status_of(raw) == 503 and
              CJK.search(raw.decode("utf-8", "replace")), raw[:300])
        held.pop()[0].close()
        ok, deadline = False, time.monotonic() + 5
        while time.monotonic() < deadline and not ok:
            ok = status_of(raw_exchange(srv, b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
                                        b"Connection: close\r\n\r\n", timeout=5)) == 200
        check("after one closes, a new connection is served", ok, None)
    finally:
        for s, _ in held:
            s.close()
    rc = srv.stop()
    check("limits server: SIGTERM → exit 0", rc == 0, (rc, open(srv.log_path, "rb").read()[-1500:]))


if __name__ == "__main__":
    sys.exit(main())
