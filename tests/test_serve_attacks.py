"""The preview server as an attacker on 127.0.0.1 (or a web page the editor visits) would try it.

It must give away nothing but the built site, keep answering, and never serve a half-built page.
Every load here is bounded in count and time and stays on 127.0.0.1.
"""
from __future__ import annotations

import concurrent.futures
import http.client
import socket
import threading
import time

import pytest

from live import previewing

from panduan import serve

SCRIPT_TAG = b'<script src="/__panduan/live.js"'


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    with previewing(tmp_path_factory.mktemp("attacks")) as running:
        yield running


def raw(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send exactly these bytes; the status, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as client:
        client.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = client.recv(65536)
            if not chunk:
                break
            answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", 0))
        if not request.startswith(b"HEAD "):
            while len(body) < length:
                chunk = client.recv(65536)
                if not chunk:
                    break
                body += chunk
        return int(lines[0].split()[1]), headers, body


def get(port: int, target: str, host: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
    return raw(port, f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())


TRAVERSALS = [
    "/../guide.yaml", "/../../../../etc/passwd", "/jadwal/../../guide.yaml",
    "/%2e%2e/guide.yaml", "/..%2fguide.yaml", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/%252e%252e/guide.yaml", "/%252e%252e%252fguide.yaml",
    "/..\\guide.yaml", "/%5c..%5cguide.yaml", "/jadwal\\..\\..\\guide.yaml",
    "//etc/passwd", "/./guide.yaml", "/%00/guide.yaml",
    "/guide.yaml", "/content/pages/tentang.md", "/templates/base.html", "/i18n/id.yaml",
    "/static/css/site.css", "/.cache/panduan/", "/.cache/panduan/cache.json", "/.git/config",
    "/build.py", "/panduan/serve.py",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_address_reaches_a_file_outside_the_built_site(preview, target):
    session, port = preview
    status, headers, body = get(port, target)
    assert status == 404
    assert body == get(port, "/tidak-ada/")[2], "anything but the guide's 404 page"


def test_very_long_addresses_are_answered_quickly(preview):
    session, port = preview
    assert get(port, "/" + "a" * 60_000 + "!")[0] == 404        # once took exponential time to refuse
    assert get(port, "/" + "a/" * 30_000)[0] == 404
    assert get(port, "/" + "a" * 70_000)[0] == 414              # longer than a request line may be
    assert get(port, "/")[0] == 200


def test_only_get_and_head_are_answered(preview):
    session, port = preview
    status, headers, body = get(port, "/jadwal/")
    head = raw(port, b"HEAD /jadwal/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert head[0] == 200 and head[1]["content-length"] == str(len(body)) and head[2] == b""
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        status, headers, _ = raw(port, f"{method} /jadwal/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                        "Content-Length: 5\r\nConnection: close\r\n\r\nhallo".encode())
        assert (status, headers["allow"]) == (405, "GET, HEAD"), method
    assert raw(port, b"TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")[0] == 501
    assert get(port, "/")[0] == 200


@pytest.mark.parametrize("host, status", [
    ("localhost", 200), ("localhost:{port}", 200), ("127.0.0.1:{port}", 200), ("[::1]:{port}", 200),
    ("LOCALHOST:{port}", 200), ("panduan.localhost:{port}", 200),
    ("evil.example", 421), ("evil.example:{port}", 421), ("127.0.0.1.evil.example:{port}", 421),
    ("localhost.:{port}", 421), ("localhost.evil.example", 421), ("[::1].evil.example", 421),
])
def test_only_localhost_names_are_answered_against_dns_rebinding(preview, host, status):
    session, port = preview
    for target in ("/", "/__panduan/state", "/__panduan/live.js"):
        answer = get(port, target, host=host.format(port=port))
        assert answer[0] == status, target
        if status == 421:
            assert b"<html" not in answer[2] and b"generation" not in answer[2]


def test_a_request_without_host_is_not_answered(preview):
    session, port = preview
    assert raw(port, b"GET / HTTP/1.0\r\n\r\n")[0] == 421


def test_host_names_follow_the_listening_address():
    assert serve.host_names("0.0.0.0") is None and serve.host_names("::") is None   # --host 0.0.0.0: any name
    lan = serve.host_names("192.168.1.5")
    assert serve.host_allowed("192.168.1.5:8000", lan) and serve.host_allowed("localhost:8000", lan)
    assert not serve.host_allowed("evil.example:8000", lan)
    assert serve.host_allowed("[fe80::1]:8000", serve.host_names("fe80::1"))


def test_half_open_connections_are_closed_and_do_not_starve_others(preview, monkeypatch):
    session, port = preview
    monkeypatch.setattr(serve.PreviewHandler, "timeout", 2.0)   # IDLE_SECONDS, shortened: the same closing, sooner
    idle = []
    for number in range(200):
        client = socket.create_connection(("127.0.0.1", port), timeout=serve.PreviewHandler.timeout + 10)
        if number % 2:
            client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")   # never finishes its headers
        idle.append(client)
    try:
        for _ in range(5):
            assert get(port, "/jadwal/")[0] == 200   # served while 200 connections hang
        started = time.monotonic()
        for client in idle:
            assert client.recv(1024) == b""   # closed by the server
        assert time.monotonic() - started < serve.PreviewHandler.timeout + 10
    finally:
        for client in idle:
            client.close()
    assert get(port, "/")[0] == 200


def test_connections_beyond_the_limit_are_closed_unanswered(tmp_path, monkeypatch):
    monkeypatch.setattr(serve, "MAX_CONNECTIONS", 4)
    with previewing(tmp_path) as (session, port):
        held = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(4)]
        time.sleep(0.5)   # all four accepted
        extra = socket.create_connection(("127.0.0.1", port), timeout=10)
        extra.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert extra.recv(1024) == b""
        extra.close()
        held.pop().close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:   # the freed slot is given back
            try:
                if get(port, "/")[0] == 200:
                    break
            except (ConnectionError, IndexError, ValueError):
                time.sleep(0.1)
        else:
            pytest.fail("a freed slot was not reused")
        for client in held:
            client.close()


def test_nobody_gets_a_half_built_page_or_an_error_during_rebuilds(preview):
    session, port = preview
    page = session.root / "content/pages/tentang.md"
    original = page.read_text(encoding="utf-8")
    titles = [b"Tentang Panduan Ini"] + [f"Tentang Panduan Versi {n}".encode() for n in range(1, 6)]
    done = threading.Event()

    def rebuild():
        try:
            for title in titles[1:]:
                page.write_text(original.replace("title: Tentang Panduan Ini", "title: " + title.decode()),
                                encoding="utf-8")
                assert session.rebuild([page]).ok
        finally:
            done.set()

    def fetch(number: int) -> tuple[str, int, dict, bytes]:
        target = ("/tentang/", "/", "/jadwal/", "/en/tentang/", "/sitemap.xml")[number % 5]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", target)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return target, response.status, dict(response.getheaders()), body

    rebuilder = threading.Thread(target=rebuild)
    rebuilder.start()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(fetch, range(500)))
    rebuilder.join(timeout=120)
    assert done.is_set()
    page.write_text(original, encoding="utf-8")
    assert session.rebuild([page]).ok
    for target, status, headers, body in answers:
        assert status == 200, target
        assert int(headers["Content-Length"]) == len(body)
        if target == "/sitemap.xml":
            assert body.rstrip().endswith(b"</urlset>")
        else:
            assert body.count(SCRIPT_TAG) == 1 and body.rstrip().endswith(b"</html>"), target
        if target == "/tentang/":
            assert sum(b"<h1>" + title + b"</h1>" in body for title in titles) == 1
