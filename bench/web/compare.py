#!/usr/bin/python3
"""The site's speed against nginx serving the same page as a static file.

    /usr/bin/python3 bench/web/compare.py [--build build/release] [--runs 3]
        [--seconds 10] [--fixed-seconds 15] [--out FILE] [--pinned-tail] [--gzip]

Imports the demo reports into a temporary database, starts `baogao serve`
(access log off), saves a report page (陵城区 2023, /baogao/huadong/<id>.html)
and a search page to a temporary directory and serves them with nginx
(generated config, `daemon off`, 2 workers, access log off, free port). Then,
in one run, alternating so both see the same machine load:

  - wrk -t2 -c64 against nginx's static copy and baogao's report page,
    `--runs` times each (medians);
  - wrk -t2 -c64 on baogao's search page /search?q=发展 (the same URL: the
    rendered-response cache answers) and on distinct queries `发展 -zzN`
    (a Lua counter; every request runs the search and renders);
  - bench/web/loadgen.cc (`web_loadgen`) at a fixed rate of half the
    measured report-page capacity for `--fixed-seconds` → p50/p99/p99.9,
    latency counted from each request's scheduled time; then the same rate
    on nginx as a control for what the (shared) machine adds;
  - with --pinned-tail, the same capacity and fixed-rate measurement again
    with both servers pinned to CPU 0 and wrk / the generator to CPU 1
    (taskset), so that the generator's own starvation is not counted as
    the server's tail;
  - with --gzip, wrk with `Accept-Encoding: gzip` against nginx serving a
    gzipped copy of the report page (`gzip_static on`: compressed once,
    before the run, the cheapest way a static server can answer) and
    baogao's report page (a per-visitor page: its cached form is spliced
    into gzip per response, src/web/slot_gzip.h), `--runs` times each.

Prints a Markdown section (progress on stderr) and writes it to --out.
Exit 1 when a tool is missing or a server fails; unmet goals are reported
as FAIL without changing the exit status.
"""
import argparse, datetime, json, os, re, shlex, shutil, signal, socket, statistics, subprocess
import sys, tempfile, time, urllib.parse, urllib.request, gzip

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOAL_RATIO, GOAL_SEARCH_RPS, GOAL_P99_MS = 0.8, 3000.0, 20.0


class Fail(Exception):
    pass


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def wait_port(port, proc, what):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Fail("%s exited with %d" % (what, proc.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise Fail("%s did not listen on %d" % (what, port))


def wrk(url, seconds, script=None, prefix=(), threads=2, gzip=False):
    cmd = list(prefix) + ["wrk", "-t%d" % threads, "-c64", "-d%ds" % seconds, "--latency"]
    if gzip:
        cmd += ["-H", "Accept-Encoding: gzip"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 60)
    if out.returncode != 0:
        raise Fail("wrk failed: %s\n%s" % (shlex.join(cmd), out.stderr))
    text = out.stdout
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\b", text, re.M)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)] if p99 else 0
    if non2xx:
        raise Fail("wrk saw %s non-2xx responses from %s" % (non2xx.group(1), url))
    return {"rps": rps, "p99_ms": p99_ms, "errors": errors.group(0) if errors else ""}


def pin(pid, cpus):
    """Pins process `pid`, its threads and its children's threads to `cpus` ("0")."""
    pids = [str(pid)] + subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                       text=True).stdout.split()
    for p in pids:
        r = subprocess.run(["taskset", "-a", "-c", "-p", cpus, p], capture_output=True, text=True)
        if r.returncode != 0:
            raise Fail("taskset failed for %s: %s" % (p, r.stderr))


def med(xs):
    return statistics.median(xs)


def span(xs, fmt="%.0f"):
    return "%s (%s–%s)" % (fmt % med(xs), fmt % min(xs), fmt % max(xs))


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for ln in f:
            if ln.startswith("model name"):
                return ln.split(":", 1)[1].strip()
    return "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--fixed-seconds", type=int, default=15)
    ap.add_argument("--out")
    ap.add_argument("--gzip", action="store_true",
                    help="also compare the report page with Accept-Encoding: gzip (nginx: "
                         "gzip_static on a precompressed copy)")
    ap.add_argument("--pinned-tail", action="store_true",
                    help="also measure the tail with the servers on CPU 0 and wrk/the load "
                         "generator on CPU 1, so that the generator is not starved by the server")
    args = ap.parse_args()
    baogao = os.path.join(args.build, "bin", "baogao")
    loadgen = os.path.join(args.build, "bin", "web_loadgen")
    for tool in (baogao, loadgen):
        if not os.access(tool, os.X_OK):
            raise Fail("missing %s (build the targets baogao and web_loadgen)" % tool)
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not os.path.exists("/usr/sbin/" + tool):
            raise Fail("missing %s (scripts/setup.sh test)" % tool)
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"

    tmp = tempfile.mkdtemp(prefix="baogao_webbench_")
    os.chmod(tmp, 0o755)  # nginx's workers run as another user when we are root
    procs = []
    try:
        db = os.path.join(tmp, "demo.db")
        r = subprocess.run([baogao, "import", os.path.join(ROOT, "data", "demo", "reports"),
                            "--db", db], capture_output=True)
        if r.returncode != 0:
            raise Fail("import failed: %s" % r.stderr.decode())
        port = free_port()
        serve = subprocess.Popen([baogao, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port,
                                  "--access-log", "none"], stdout=subprocess.DEVNULL,
                                 stderr=open(os.path.join(tmp, "serve.err"), "wb"))
        procs.append(serve)
        wait_port(port, serve, "baogao serve")
        base = "http://127.0.0.1:%d" % port
        region = fetch(base + "/region/371403/").decode()
        m = re.search(r'<h3>2023年</h3>\s*<ul>\s*<li>.*?href="(/baogao/huadong/\d+\.html)"', region, re.S)
        if not m:
            raise Fail("no 2023 report on /region/371403/")
        report_path = m.group(1)
        search_path = "/search?q=" + urllib.parse.quote("发展")
        html = os.path.join(tmp, "html")
        os.makedirs(html)
        report_body = fetch(base + report_path)
        search_body = fetch(base + search_path)
        with open(os.path.join(html, "report.html"), "wb") as f:
            f.write(report_body)
        with open(os.path.join(html, "search.html"), "wb") as f:
            f.write(search_body)
        with open(os.path.join(html, "report.html.gz"), "wb") as f:
            f.write(gzip.compress(report_body, 6))

        nport = free_port()
        os.makedirs(os.path.join(tmp, "logs"))
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""worker_processes 2;
daemon off;
pid %(tmp)s/nginx.pid;
error_log %(tmp)s/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; }
  charset utf-8;
  gzip_static on;
  client_body_temp_path %(tmp)s/body;
  proxy_temp_path %(tmp)s/proxy;
  fastcgi_temp_path %(tmp)s/fastcgi;
  uwsgi_temp_path %(tmp)s/uwsgi;
  scgi_temp_path %(tmp)s/scgi;
  server { listen 127.0.0.1:%(port)d; root %(tmp)s/html; }
}
""" % {"tmp": tmp, "port": nport})
        nginx = subprocess.Popen([nginx_bin, "-c", conf, "-p", tmp], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        procs.append(nginx)
        wait_port(nport, nginx, "nginx")
        nbase = "http://127.0.0.1:%d" % nport
        if fetch(nbase + "/report.html") != report_body:
            raise Fail("nginx does not serve the same bytes")

        def fetch_gzip(url):
            req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(req, timeout=30) as r:
                if r.headers.get("Content-Encoding") != "gzip":
                    raise Fail("%s: no gzip answer" % url)
                raw = r.read()
            return raw, gzip.decompress(raw)

        gz_size = gz_baogao_size = 0
        if args.gzip:
            raw, plain = fetch_gzip(nbase + "/report.html")
            if plain != report_body:
                raise Fail("nginx does not serve the same bytes gzipped")
            gz_size = len(raw)
            raw, plain = fetch_gzip(base + report_path)
            if not plain.startswith(b"<!DOCTYPE html>") or len(plain) < len(report_body) - 200:
                raise Fail("baogao's gzipped report page does not inflate to the page")
            gz_baogao_size = len(raw)
        version = subprocess.run([nginx_bin, "-v"], capture_output=True, text=True).stderr.strip()

        lua = os.path.join(tmp, "distinct.lua")
        with open(lua, "w") as f:
            f.write("""-- Distinct queries: 发展 minus a term that never occurs, numbered per
-- thread, so that no two requests share a cache entry.
local counter = 0
local tid = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
end
request = function()
  counter = counter + 1
  return wrk.format("GET", "/search?q=%E5%8F%91%E5%B1%95+-zz" .. tid .. "x" .. counter)
end
""")
        # Warm both (the first wrk run would otherwise pay for it).
        wrk(nbase + "/report.html", 2)
        wrk(base + report_path, 2)
        def alternate(what, gzip=False):
            """`--runs` wrk runs each of nginx's copy and baogao's report page,
            alternating which goes first; the two lists of results."""
            nginx_res, baogao_res = [], []
            for i in range(args.runs):
                order = [("nginx", nbase + "/report.html", nginx_res),
                         ("baogao", base + report_path, baogao_res)]
                if i % 2:
                    order.reverse()
                for name, url, sink in order:
                    res = wrk(url, args.seconds, gzip=gzip)
                    sink.append(res)
                    log("run %d: %-6s %s %8.0f req/s  p99 %.2f ms %s" %
                        (i + 1, name, what, res["rps"], res["p99_ms"], res["errors"]))
            return nginx_res, baogao_res

        search_runs, distinct_runs = [], []
        nginx_runs, report_runs = alternate("report page")
        gz_nginx, gz_baogao = alternate("report page, gzip", gzip=True) if args.gzip else ([], [])
        for i in range(args.runs):
            res = wrk(base + search_path, args.seconds)
            search_runs.append(res)
            log("run %d: baogao search (same URL)   %8.0f req/s" % (i + 1, res["rps"]))
            res = wrk(base + "/", args.seconds, script=lua)
            distinct_runs.append(res)
            log("run %d: baogao search (distinct)   %8.0f req/s" % (i + 1, res["rps"]))

        capacity = med([r["rps"] for r in report_runs])
        rate = round(capacity / 2)

        def fixed_rate(url, rate=rate, prefix=()):
            cmd = list(prefix) + [loadgen, "--url", url, "--rate", str(rate), "--duration",
                                  str(args.fixed_seconds), "--warmup", "2", "--connections", "64"]
            lg = subprocess.run(cmd, capture_output=True, text=True,
                                timeout=args.fixed_seconds + 60)
            if lg.returncode != 0:
                raise Fail("web_loadgen failed: %s" % lg.stderr)
            log(lg.stderr.strip())
            return json.loads(lg.stdout.strip().splitlines()[-1])

        fixed = fixed_rate(base + report_path)
        # The same rate on nginx: what the machine itself adds to the tail.
        control = fixed_rate(nbase + "/report.html")
        pinned = None
        if args.pinned_tail:
            # Servers on CPU 0, the client on CPU 1: capacity and tail of the
            # server alone, without the generator competing for its core.
            if os.cpu_count() < 2 or not shutil.which("taskset"):
                raise Fail("--pinned-tail needs 2 CPUs and taskset")
            pin(serve.pid, "0")
            pin(nginx.pid, "0")
            client = ("taskset", "-c", "1")
            p_b, p_n = [], []
            for i in range(args.runs):
                p_n.append(wrk(nbase + "/report.html", args.seconds, prefix=client, threads=1))
                p_b.append(wrk(base + report_path, args.seconds, prefix=client, threads=1))
                log("pinned run %d: nginx %8.0f  baogao %8.0f req/s" %
                    (i + 1, p_n[-1]["rps"], p_b[-1]["rps"]))
            p_rate = round(med([r["rps"] for r in p_b]) / 2)
            pinned = {"nginx": [r["rps"] for r in p_n], "baogao": [r["rps"] for r in p_b],
                      "rate": p_rate,
                      "fixed": fixed_rate(base + report_path, p_rate, client),
                      "control": fixed_rate(nbase + "/report.html", p_rate, client)}
            pin(serve.pid, "0-%d" % (os.cpu_count() - 1))
            pin(nginx.pid, "0-%d" % (os.cpu_count() - 1))
        load_after = "%.2f %.2f %.2f" % os.getloadavg()
        serve.send_signal(signal.SIGTERM)
        if serve.wait(timeout=30) != 0:
            raise Fail("baogao serve exited with %d" % serve.returncode)

        n = [r["rps"] for r in nginx_runs]
        b = [r["rps"] for r in report_runs]
        ratio = med(b) / med(n)
        s_same = [r["rps"] for r in search_runs]
        s_dist = [r["rps"] for r in distinct_runs]
        ok = lambda c: "met" if c else "**FAIL**"
        cmd = "/usr/bin/python3 bench/web/compare.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        out = []
        out.append("Generated by `bench/web/compare.py` on %s UTC." %
                   datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"))
        out.append("")
        out.append("- Command: `%s`" % cmd.strip())
        out.append("- Machine: %s, %d cores (shared); load average after the run: %s" %
                   (cpu_model(), os.cpu_count(), load_after))
        out.append("- Pages: report `%s` (%d bytes), search `/search?q=发展` (%d bytes); "
                   "identity encoding (wrk sends no Accept-Encoding); %s, 2 workers, access logs "
                   "off on both" % (report_path, len(report_body), len(search_body), version))
        out.append("- wrk -t2 -c64 -d%ds, %d runs each, alternating nginx/baogao; median (min–max)"
                   % (args.seconds, args.runs))
        out.append("")
        out.append("| what | requests/s | wrk p99 (ms) |")
        out.append("|---|---:|---:|")
        out.append("| nginx, the report page as a static file | %s | %.2f |" %
                   (span(n), med([r["p99_ms"] for r in nginx_runs])))
        out.append("| baogao, the report page | %s | %.2f |" %
                   (span(b), med([r["p99_ms"] for r in report_runs])))
        out.append("| ratio baogao / nginx | %.2f× | |" % ratio)
        if args.gzip:
            gn = [r["rps"] for r in gz_nginx]
            gb = [r["rps"] for r in gz_baogao]
            out.append("| nginx, the report page gzipped (`gzip_static`, %d bytes) | %s | %.2f |" %
                       (gz_size, span(gn), med([r["p99_ms"] for r in gz_nginx])))
            out.append("| baogao, the report page gzipped (spliced, ~%d bytes) | %s | %.2f |" %
                       (gz_baogao_size, span(gb), med([r["p99_ms"] for r in gz_baogao])))
            out.append("| ratio baogao / nginx, gzip | %.2f× | |" % (med(gb) / med(gn)))
        out.append("| baogao, search `发展`, same URL (rendered-response cache) | %s | %.2f |" %
                   (span(s_same), med([r["p99_ms"] for r in search_runs])))
        out.append("| baogao, search `发展 -zzN`, distinct queries (search + render) | %s | %.2f |"
                   % (span(s_dist), med([r["p99_ms"] for r in distinct_runs])))
        out.append("")
        out.append("Fixed rate (`web_loadgen`, 64 connections, %d s after 2 s warm-up) on the "
                   "report page at half the median capacity:" % args.fixed_seconds)
        out.append("")
        out.append("| server | target req/s | achieved | p50 ms | p90 ms | p99 ms | p99.9 ms | "
                   "max ms | errors | timeouts |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, f in (("baogao", fixed), ("nginx (control)", control)):
            out.append("| %s | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %d |" % (
                name, rate, f["achieved_rate"], f["p50_ms"], f["p90_ms"], f["p99_ms"],
                f["p999_ms"], f["max_ms"], f["errors"], f["timeouts"]))
        if pinned:
            out.append("")
            out.append("Pinned (`--pinned-tail`): the servers on CPU 0, wrk (`-t1 -c64`, %d runs "
                       "each) and the load generator on CPU 1. Capacity: nginx %s, baogao %s "
                       "req/s (%.2f×); fixed rate at half of baogao's:" % (
                           args.runs, span(pinned["nginx"]), span(pinned["baogao"]),
                           med(pinned["baogao"]) / med(pinned["nginx"])))
            out.append("")
            out.append("| server | target req/s | achieved | p50 ms | p90 ms | p99 ms | p99.9 ms | "
                       "max ms | errors | timeouts |")
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for name, f in (("baogao", pinned["fixed"]), ("nginx (control)", pinned["control"])):
                out.append("| %s | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %d |" % (
                    name, pinned["rate"], f["achieved_rate"], f["p50_ms"], f["p90_ms"],
                    f["p99_ms"], f["p999_ms"], f["max_ms"], f["errors"], f["timeouts"]))
        out.append("")
        out.append("Goals (issue 5) on this run:")
        out.append("")
        out.append("- report page ≥ %.1f× nginx: %.2f× — %s" % (GOAL_RATIO, ratio,
                                                             ok(ratio >= GOAL_RATIO)))
        out.append("- search ≥ %.0f req/s: %.0f with the cache, %.0f on distinct queries — %s "
                   "(cached), %s (distinct)" % (GOAL_SEARCH_RPS, med(s_same), med(s_dist),
                                                ok(med(s_same) >= GOAL_SEARCH_RPS),
                                                ok(med(s_dist) >= GOAL_SEARCH_RPS)))
        out.append("- p99 ≤ %.0f ms at half capacity (%d req/s): %.2f ms — %s" % (
            GOAL_P99_MS, rate, fixed["p99_ms"], ok(fixed["p99_ms"] <= GOAL_P99_MS)))
        if pinned:
            pf = pinned["fixed"]["p99_ms"]
            out.append("- p99 ≤ %.0f ms at half capacity, pinned (%d req/s): %.2f ms — %s" % (
                GOAL_P99_MS, pinned["rate"], pf, ok(pf <= GOAL_P99_MS)))
        text = "\n".join(out) + "\n"
        print(text)
        if args.out:
            with open(args.out, "w") as f:
                f.write(text)
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except Fail as e:
        log("compare.py: %s" % e)
        sys.exit(1)
