"""Benchmark: cold build, unchanged rebuild and one-page edit in watch mode.

    python bench/run.py [--pages 1000 5000] [--edits 5]

For each N it generates the corpus (bench/corpus.py) under bench/out/, then
measures, each in a fresh process so peak memory is that process's own:

- cold build: `build.py` with an empty cache;
- unchanged rebuild: `build.py` again, reusing the on-disk cache: first right
  after the cold build (the files it wrote have not settled, so it reads them all
  for their digests), then once they have (stamps.py: it reads none);
- rebuild after an edit: `build.py` again after one page's text changed;
- watch edit: `build.py watch` machinery (watchdog, settle, the build with
  the session's memo, changed files written) from saving one page's body to its new
  output file being in place; the median and worst of several edits, and how
  long after the last edit the search index was rewritten.

- title edit: then one edit of that page's front matter (its title, which
  other pages list), from saving to the page holding the new title.

The corpus is committed to a fresh git repository first, as editors work in
one: "last updated" dates come from git, and the first edit of a committed
file removes its date (and what shows it is rendered again).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

from panduan.stamps import SETTLED_NS  # noqa: E402  (after the path: the engine of this checkout)

NOW = "2024-01-10T10:00:00+07:00"


def timed_build(root: Path) -> tuple[float, float]:
    """Seconds and peak MiB of one `build.py` run."""
    # warnings go to a file, not a pipe: nobody reads a pipe during wait4, and a
    # corpus of untranslated pages prints enough warnings to fill one and block
    with tempfile.TemporaryFile() as messages:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), "--now", NOW],
                                   stdout=subprocess.DEVNULL, stderr=messages)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if status != 0:
            messages.seek(0)
            raise SystemExit(f"build failed: {messages.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def watch_edits(root: str, edits: int) -> None:
    """In a child process: time `edits` one-page edits through the real watcher; print JSON."""
    import datetime as dt
    import threading

    from panduan.watch import Changes, Session, watch

    root_path = Path(root)
    now = dt.datetime.fromisoformat(NOW)
    session = Session(root_path, root_path / "_site", lambda: now)
    started = time.perf_counter()
    assert session.rebuild().ok
    first = time.perf_counter() - started
    started = time.perf_counter()
    session.refresh_search()
    first_search = time.perf_counter() - started
    changes = Changes(root_path).start()
    stop = threading.Event()
    threading.Thread(target=watch, args=(session, changes, lambda outcome: None, stop), daemon=True).start()
    page = root_path / "content/pages/halaman-00042.md"
    output = root_path / "_site/halaman-00042/index.html"
    latencies, rebuilds, rendered = [], [], []
    for number in range(edits):
        marker = f"Suntingan nomor {number}."
        generation = session.outcome.generation
        time.sleep(0.3)
        started = time.perf_counter()
        page.write_text(page.read_text() + f"\n{marker}\n")
        while marker.encode() not in output.read_bytes():
            time.sleep(0.001)
        latencies.append(time.perf_counter() - started)
        with session.changed:
            session.changed.wait_for(lambda: session.outcome.generation > generation, 10)
        rebuilds.append(session.outcome.seconds)
        rendered.append(session.outcome.rendered)
        assert session.outcome.ok
    started = time.perf_counter()   # after the last edit: until the search index has caught up
    while session.search_stale:
        time.sleep(0.01)
    search_after = time.perf_counter() - started + latencies[-1]
    time.sleep(0.3)   # a title edit (front matter): every page's footer may list it, a full cached build
    generation = session.outcome.generation
    started = time.perf_counter()
    page.write_text(page.read_text().replace("title: Halaman Uji 00042", "title: Halaman Uji 00042 (baru)", 1))
    while b"Halaman Uji 00042 (baru)" not in output.read_bytes():
        time.sleep(0.001)
    title_edit = time.perf_counter() - started
    with session.changed:
        session.changed.wait_for(lambda: session.outcome.generation > generation, 60)
    assert session.outcome.ok
    stop.set()
    changes.stop()
    print(json.dumps({"first_build": first, "first_search": first_search, "latencies": latencies,
                      "rebuilds": rebuilds, "rendered": rendered, "search_after": search_after, "title_edit": title_edit,
                      "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def commit(root: Path) -> None:
    """Editors work in a git checkout: "last updated" dates come from it, and an edit makes a file uncommitted."""
    environment = os.environ | {"GIT_AUTHOR_DATE": "2024-01-01T09:00:00+07:00",
                                "GIT_COMMITTER_DATE": "2024-01-01T09:00:00+07:00"}
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=Bench", "-c", "user.email=bench@example.org",
                                                    "commit", "-qm", "corpus"]):
        subprocess.run(["git", "-C", str(root), *command], check=True, env=environment)


def bench(pages: int, edits: int) -> dict:
    from corpus import generate

    root = HERE / "out" / f"corpus-{pages}"
    shutil.rmtree(root, ignore_errors=True)
    generate(root, pages)
    commit(root)
    cold, cold_mib = timed_build(root)
    warm, warm_mib = timed_build(root)
    time.sleep(SETTLED_NS / 1e9)   # what the cold build wrote has settled: this build stamps it
    timed_build(root)
    settled, settled_mib = timed_build(root)
    page = root / "content/pages/halaman-00007.md"
    page.write_text(page.read_text() + "\nSatu kalimat lagi.\n")
    edited, edited_mib = timed_build(root)
    child = subprocess.run([sys.executable, str(HERE / "run.py"), "--watch-child", str(root), str(edits)],
                           capture_output=True, text=True, check=True)
    watched = json.loads(child.stdout)
    return {"pages": pages, "cold_s": cold, "cold_mib": cold_mib, "unchanged_s": warm, "unchanged_mib": warm_mib,
            "settled_s": settled, "settled_mib": settled_mib,
            "edited_s": edited, "edited_mib": edited_mib, "rendered": watched["rendered"],
            "search_after_s": watched["search_after"],
            "edit_median_ms": statistics.median(watched["latencies"]) * 1000,
            "edit_worst_ms": max(watched["latencies"]) * 1000,
            "rebuild_median_ms": statistics.median(watched["rebuilds"]) * 1000, "title_edit_s": watched["title_edit"],
            "watch_mib": watched["peak_mib"]}


def main() -> int:
    if sys.argv[1:2] == ["--watch-child"]:
        watch_edits(sys.argv[2], int(sys.argv[3]))
        return 0
    args = argparse.ArgumentParser(description="Benchmark the guide generator.")
    args.add_argument("--pages", type=int, nargs="+", default=[1000, 5000])
    args.add_argument("--edits", type=int, default=5)
    options = args.parse_args()
    print("| pages | cold build | unchanged rebuild (first / settled) | rebuild after a one-page edit "
          "| one-page edit in watch "
          "(median / worst) | rebuild inside it | search index caught up | title edit in watch "
          "| peak memory (cold / unchanged / watch) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for pages in options.pages:
        r = bench(pages, options.edits)
        print(f"| {pages} | {r['cold_s']:.1f} s | {r['unchanged_s']:.2f} s / {r['settled_s']:.2f} s "
              f"| {r['edited_s']:.1f} s "
              f"| {r['edit_median_ms']:.0f} ms / {r['edit_worst_ms']:.0f} ms | {r['rebuild_median_ms']:.0f} ms "
              f"| {r['search_after_s']:.1f} s | {r['title_edit_s']:.1f} s | {r['cold_mib']:.0f} / "
              f"{max(r['unchanged_mib'], r['settled_mib']):.0f} / "
              f"{r['watch_mib']:.0f} MiB |", flush=True)
        print(f"<!-- {pages}: outputs rendered per edit: {r['rendered']} -->", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
