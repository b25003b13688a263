#!/usr/bin/env python3
"""A fake kernel.org on the loopback interface, for test_kernel_http.

Binds 127.0.0.1 on an ephemeral port, prints "PORT <n>" on stdout, and
serves until stdin closes (the test exits) or LIFETIME_S passes, whichever
comes first, so it can never outlive a crashed test for long.

  /releases.json         stable 6.14.10 (tarball), 6.15.3 (patch < 8),
                         6.13.12 (an HTML 200 page), longterm 6.12.40
                         (a tarball whose member escapes with ".."),
                         mainline 6.16-rc2
  /norel/releases.json   only releases with patch < 8
  /bad/releases.json     HTTP 503
  /notjson/releases.json not JSON
  anything else          404
"""
import http.server
import io
import json
import sys
import tarfile
import threading

LIFETIME_S = 120


def tarball(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:xz") as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                t.addfile(info)
            else:
                info.size = len(data)
                info.mode = 0o644
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


GOOD = tarball([
    ("linux-6.14.10", None),
    ("linux-6.14.10/Makefile", b"# fake kernel Makefile\n"),
    ("linux-6.14.10/Kconfig", b"# fake Kconfig\n"),
    ("linux-6.14.10/kernel/sched/ext.c", b"/* sched_ext */\n"),
])
EVIL = tarball([
    ("linux-6.12.40/Makefile", b"x\n"),
    ("linux-6.12.40/../../escaped", b"owned\n"),
])
HTML = b"<!DOCTYPE html><html><body>Not Found (but 200)</body></html>\n"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def send(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        base = "http://127.0.0.1:%d" % self.server.server_port
        pub = base + "/pub/linux/kernel/v6.x/"
        rel = lambda v, m, src: {"version": v, "moniker": m, "source": src, "iseol": False}
        if self.path == "/releases.json":
            doc = {"latest_stable": {"version": "6.15.3"}, "releases": [
                rel("6.16-rc2", "mainline", base + "/rc/linux-6.16-rc2.tar.gz"),
                rel("6.15.3", "stable", pub + "linux-6.15.3.tar.xz"),
                rel("6.14.10", "stable", pub + "linux-6.14.10.tar.xz"),
                rel("6.13.12", "stable", pub + "linux-6.13.12.tar.xz"),
                rel("6.12.40", "longterm", pub + "linux-6.12.40.tar.xz"),
                rel("next-20250606", "linux-next", None),
            ]}
            self.send(200, "application/json", json.dumps(doc).encode())
        elif self.path == "/norel/releases.json":
            doc = {"releases": [rel("6.15.3", "stable", pub + "linux-6.15.3.tar.xz"),
                                rel("6.16-rc2", "mainline", base + "/x.tar.gz")]}
            self.send(200, "application/json", json.dumps(doc).encode())
        elif self.path == "/bad/releases.json":
            self.send(503, "text/plain", b"service unavailable\n")
        elif self.path == "/notjson/releases.json":
            self.send(200, "text/plain", b"hello\n")
        elif self.path == "/pub/linux/kernel/v6.x/linux-6.14.10.tar.xz":
            self.send(200, "application/x-xz", GOOD)
        elif self.path == "/pub/linux/kernel/v6.x/linux-6.12.40.tar.xz":
            self.send(200, "application/x-xz", EVIL)
        elif self.path == "/pub/linux/kernel/v6.x/linux-6.13.12.tar.xz":
            self.send(200, "text/html; charset=utf-8", HTML)
        else:
            self.send(404, "text/html", b"<html>404</html>\n")


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("PORT %d" % srv.server_port, flush=True)
    done = threading.Event()

    def watch_stdin():
        sys.stdin.read()      # EOF: the test is gone
        done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    done.wait(LIFETIME_S)
    srv.shutdown()


if __name__ == "__main__":
    main()
