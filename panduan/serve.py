"""Serve: a preview of the guide on localhost that follows every save.

The server answers from memory with the last good build (watch.Session), so
a request during a rebuild, or after a bad edit, gets a whole consistent
site, never a half-written file. Into each HTML response, and only there,
it adds one script tag; the built site on disk never contains it. The
script listens to `/__panduan/events` (Server-Sent Events, built into every
browser): after a good build it reloads the page; after a bad one it shows
the numbered problem list over the page until the next good build. All tabs
share one stream through a SharedWorker (live_worker.js): a browser opens at
most six connections to a server, and a stream per tab would use them up.

Many tabs, clients that disconnect mid-response, and requests for unknown
addresses are all ordinary: each request runs in its own thread and a
broken connection ends only that thread.

Anyone who can reach the port, and any web page the editor visits, can talk to
the server, so it answers as little as it can: only files of the built site
(from memory: no path reaches the disk, so no traversal reaches the sources or
the cache), only GET and HEAD, only to a Host header naming this machine
(a page on another site that rebinds its name to 127.0.0.1 gets nothing), at
most MAX_CONNECTIONS at once, and a connection that sends nothing for
IDLE_SECONDS is closed.
"""
from __future__ import annotations

import json
import mimetypes
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from . import urls
from .watch import Outcome, Session

PREFIX = "/__panduan/"
HEARTBEAT_SECONDS = 15.0
SCRIPT = Path(__file__).with_name("live.js").read_bytes()
WORKER = Path(__file__).with_name("live_worker.js").read_bytes()   # one event stream for all tabs
DISCONNECTED = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)
IDLE_SECONDS = 10.0          # a connection silent this long (half-open, or a slow attacker) is closed
MAX_CONNECTIONS = 256        # more at once are closed unanswered: threads stay bounded
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
ANY_ADDRESS = ("0.0.0.0", "::", "")
HOST_HEADER = re.compile(r"^(?P<name>\[[0-9a-f:.]+\]|[^:\[\]]+)(?::[0-9]{1,5})?$")   # name, or [IPv6], then :port


def host_names(listen_host: str) -> frozenset[str] | None:
    """The Host header names the server answers to; None: any (it listens on every address,
    which the editor chose with --host to preview from other devices)."""
    if listen_host in ANY_ADDRESS:
        return None
    named = f"[{listen_host}]" if ":" in listen_host else listen_host
    return frozenset(LOOPBACK_NAMES + (named.lower(),))


def host_allowed(header: str | None, names: frozenset[str] | None) -> bool:
    if names is None:
        return True
    if not header:
        return False
    found = HOST_HEADER.match(header.strip().lower())
    if found is None:
        return False
    name = found.group("name")
    return name in names or name.endswith(".localhost")   # *.localhost is always this machine (RFC 6761)


def state(outcome: Outcome) -> dict:
    """What the browser needs to know about a build: its number, and the problems if it failed."""
    return {
        "generation": outcome.generation,
        "ok": outcome.ok,
        "problems": [{"number": number, "location": p.location(), "message": p.message, "hint": p.hint}
                     for number, p in enumerate(outcome.problems, start=1)],
    }


def inject(html: bytes, generation: int) -> bytes:
    """The page as served: the live-reload script added just before </body>."""
    tag = f'<script src="{PREFIX}live.js" data-generation="{generation}" defer></script>'.encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128   # connections waiting to be accepted (socketserver's 5 drops a burst's
                               # others, which then wait seconds to try again)

    def __init__(self, address: tuple[str, int], session: Session):
        super().__init__(address, PreviewHandler)
        self.session = session
        self.stopping = threading.Event()
        self.names = host_names(address[0])
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)   # too many at once: this one is closed unanswered
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def shutdown(self) -> None:
        self.stopping.set()
        with self.session.changed:
            self.session.changed.notify_all()
        super().shutdown()

    def handle_error(self, request, client_address) -> None:
        pass   # a browser closing a connection is not worth a traceback in the editor's terminal


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS

    def log_message(self, format, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET(body=False)

    def do_GET(self, body: bool = True) -> None:
        try:
            if not host_allowed(self.headers.get("Host"), self.server.names):
                self.close_connection = True
                return self._send(421, "text/plain; charset=utf-8",
                                  b"This preview answers only to http://localhost/; "
                                  b"to preview from another device, start it with --host.\n", body)
            self._answer(body)
        except DISCONNECTED:
            self.close_connection = True

    def _not_allowed(self) -> None:
        """Every other method: the preview only shows the site."""
        self.close_connection = True
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def _answer(self, body: bool) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path == PREFIX + "events":
            return self._events(parse_qs(parts.query).get("since", ["-1"])[0])
        if path == PREFIX + "live.js":
            return self._send(200, "text/javascript; charset=utf-8", SCRIPT, body)
        if path == PREFIX + "live-worker.js":
            return self._send(200, "text/javascript; charset=utf-8", WORKER, body)
        outcome = self.server.session.outcome
        if path == PREFIX + "state":
            return self._send(200, "application/json", json.dumps(state(outcome)).encode(), body)
        name = self._file_name(path)
        data = outcome.site.get(name) if name else None
        if data is None and name and not path.endswith("/") and f"{name}/index.html" in outcome.site:
            self.send_response(301)
            self.send_header("Location", parts.path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if data is None:
            status, name = 404, "404.html"
            data = outcome.site.get(name, b"<!doctype html><title>404</title><body><p>Not found</p></body>")
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject(data, outcome.generation)
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self._send(status, kind, data, body)

    @staticmethod
    def _file_name(path: str) -> str | None:
        try:
            return urls.file_for(path)
        except urls.UnsafeUrl:
            return None

    def _send(self, status: int, kind: str, data: bytes, body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self, since: str) -> None:
        """Stream build outcomes: at once if the page is out of date or the build is broken, then each new one."""
        session, stopping = self.server.session, self.server.stopping
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 500\n\n")
        self.wfile.flush()
        seen = int(since) if since.lstrip("-").isdigit() else -1
        outcome = session.outcome
        if outcome.generation != seen or not outcome.ok:
            self._event(outcome)
        seen = outcome.generation
        while not stopping.is_set():
            with session.changed:
                session.changed.wait_for(lambda: session.outcome.generation != seen or stopping.is_set(),
                                         timeout=HEARTBEAT_SECONDS)
                outcome = session.outcome
            if stopping.is_set():
                return
            if outcome.generation == seen:
                self.wfile.write(b": still here\n\n")   # finds closed connections
                self.wfile.flush()
                continue
            seen = outcome.generation
            self._event(outcome)

    def _event(self, outcome: Outcome) -> None:
        self.wfile.write(b"event: build\ndata: " + json.dumps(state(outcome)).encode() + b"\n\n")
        self.wfile.flush()


def start(session: Session, host: str, port: int) -> PreviewServer:
    """Start serving in a background thread; call `.shutdown()` to stop."""
    server = PreviewServer((host, port), session)
    threading.Thread(target=server.serve_forever, name="panduan-serve", daemon=True).start()
    return server
