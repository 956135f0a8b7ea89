"""A built site served as a plain static host serves it (for the browser tests), quietly."""
from __future__ import annotations

import http.server
import sys
import threading
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Files of the folder given as `directory`, without a log line per request."""

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):
            return   # the browser dropped a request it no longer needed (a page left while loading)
        super().handle_error(request, client_address)


def serve(folder: Path, handler: type[QuietHandler] = QuietHandler) -> http.server.ThreadingHTTPServer:
    """`folder` served on a free port of 127.0.0.1 from a background thread; stop it with
    `shutdown()` and `server_close()`."""
    server = _Server(("127.0.0.1", 0), lambda *args: handler(*args, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def base_url(server: http.server.ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/"
