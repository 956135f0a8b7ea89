"""The preview server: last good site, problem overlay data, reload script only when served, robust to clients."""
from __future__ import annotations

import http.client
import json
import socket
import threading

import pytest

from live import previewing
from sites import tree_bytes

from panduan.watch import Session

SCRIPT_TAG = b'<script src="/__panduan/live.js"'


@pytest.fixture
def preview(tmp_path):
    with previewing(tmp_path) as running:
        yield running


def get(port: int, path: str) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


def first_event(port: int, since: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", f"/__panduan/events?since={since}")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    while True:
        line = response.fp.readline().decode()
        if line.startswith("data: "):
            connection.close()
            return json.loads(line[len("data: "):])


def break_numbers(session: Session) -> str:
    numbers = session.root / "content/numbers.yaml"
    text = numbers.read_text()
    numbers.write_text(text + "  - id: [rusak\n")
    return text


def test_pages_get_the_reload_script_but_the_built_files_do_not(preview):
    session, port = preview
    status, headers, page = get(port, "/jadwal/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.count(SCRIPT_TAG) == 1 and page.rindex(SCRIPT_TAG) < page.rindex(b"</body>")
    on_disk = (session.out / "jadwal/index.html").read_bytes()
    assert SCRIPT_TAG not in on_disk and b"__panduan" not in on_disk
    start = page.index(SCRIPT_TAG)
    assert page[:start] + page[page.index(b"</script>", start) + 9:] == on_disk
    assert all(b"__panduan" not in data for data in tree_bytes(session.out).values())
    stylesheet = next((session.out / "css").glob("site.*.css")).relative_to(session.out).as_posix()
    status, headers, css = get(port, "/" + stylesheet)
    assert status == 200 and css == (session.out / stylesheet).read_bytes()
    status, headers, script = get(port, "/__panduan/live.js")
    assert status == 200 and b"EventSource" in script


def test_unknown_addresses_get_the_guide_404_and_folders_redirect(preview):
    session, port = preview
    status, _, page = get(port, "/tidak-ada/")
    assert status == 404 and page.startswith((session.out / "404.html").read_bytes()[:50])
    assert get(port, "/../guide.yaml")[0] == 404
    status, headers, _ = get(port, "/jadwal")
    assert status == 301 and headers["Location"] == "/jadwal/"


def test_a_bad_edit_keeps_serving_the_last_good_site_and_lists_the_problems(preview):
    session, port = preview
    good = get(port, "/")[2]
    text = break_numbers(session)
    outcome = session.rebuild()
    assert not outcome.ok
    assert get(port, "/")[2].replace(b'data-generation="2"', b'data-generation="1"') == good
    state = json.loads(get(port, "/__panduan/state")[2])
    assert state["ok"] is False and state["generation"] == 2
    first = state["problems"][0]
    assert first["number"] == 1 and first["location"].startswith("content/numbers.yaml:")
    assert first["message"].startswith("YAML syntax error") or "numbers" in first["message"]
    event = first_event(port, since=2)
    assert event["ok"] is False and event["problems"] == state["problems"]
    (session.root / "content/numbers.yaml").write_text(text)
    assert session.rebuild().ok
    event = first_event(port, since=2)
    assert event == {"generation": 3, "ok": True, "problems": []}


def test_an_up_to_date_page_hears_about_the_next_build(preview):
    session, port = preview
    received = []
    listener = threading.Thread(target=lambda: received.append(first_event(port, since=1)))
    listener.start()
    page = session.root / "content/pages/tentang.md"
    page.write_text(page.read_text() + "\nKalimat baru.\n")
    session.rebuild([page])
    listener.join(timeout=10)
    assert received == [{"generation": 2, "ok": True, "problems": []}]
    assert b"Kalimat baru." in get(port, "/tentang/")[2]


def test_many_tabs_and_clients_that_hang_up_do_not_stop_the_server(preview):
    session, port = preview
    for path in ("/", "/__panduan/events?since=1"):
        for _ in range(5):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            client.recv(10)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            client.close()   # reset mid-response
    received = []
    tabs = [threading.Thread(target=lambda: received.append(first_event(port, since=1))) for _ in range(12)]
    for tab in tabs:
        tab.start()
    page = session.root / "content/pages/tentang.md"
    page.write_text(page.read_text() + "\nLagi.\n")
    session.rebuild([page])
    for tab in tabs:
        tab.join(timeout=10)
    assert len(received) == 12 and all(event["generation"] == 2 for event in received)
    assert session.rebuild().ok   # a rebuild with hung-up listeners around
    assert get(port, "/")[0] == 200
