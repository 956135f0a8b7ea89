"""Benchmark: cold build, unchanged rebuild and one-page edit in watch mode.

    python bench/run.py [--pages 1000 5000] [--edits 5]

For each N it generates the corpus (bench/corpus.py) under bench/out/, then
measures, each in a fresh process so peak memory is that process's own:

- cold build: `build.py` with an empty cache;
- unchanged rebuild: `build.py` again, reusing the on-disk cache;
- watch edit: `build.py watch` machinery (watchdog, settle, cached rebuild,
  changed files written) from saving one page's body to its new output file
  being in place; the median and worst of several edits.
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
    changes = Changes(root_path).start()
    stop = threading.Event()
    threading.Thread(target=watch, args=(session, changes, lambda outcome: None, stop), daemon=True).start()
    page = root_path / "content/pages/halaman-00042.md"
    output = root_path / "_site/halaman-00042/index.html"
    latencies, rebuilds = [], []
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
        assert session.outcome.ok
    stop.set()
    changes.stop()
    print(json.dumps({"first_build": first, "latencies": latencies, "rebuilds": rebuilds,
                      "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def bench(pages: int, edits: int) -> dict:
    from corpus import generate

    root = HERE / "out" / f"corpus-{pages}"
    shutil.rmtree(root, ignore_errors=True)
    generate(root, pages)
    cold, cold_mib = timed_build(root)
    warm, warm_mib = timed_build(root)
    child = subprocess.run([sys.executable, str(HERE / "run.py"), "--watch-child", str(root), str(edits)],
                           capture_output=True, text=True, check=True)
    watched = json.loads(child.stdout)
    return {"pages": pages, "cold_s": cold, "cold_mib": cold_mib, "unchanged_s": warm, "unchanged_mib": warm_mib,
            "edit_median_ms": statistics.median(watched["latencies"]) * 1000,
            "edit_worst_ms": max(watched["latencies"]) * 1000,
            "rebuild_median_ms": statistics.median(watched["rebuilds"]) * 1000,
            "watch_mib": watched["peak_mib"]}


def main() -> int:
    if sys.argv[1:2] == ["--watch-child"]:
        watch_edits(sys.argv[2], int(sys.argv[3]))
        return 0
    args = argparse.ArgumentParser(description="Benchmark the guide generator.")
    args.add_argument("--pages", type=int, nargs="+", default=[1000, 5000])
    args.add_argument("--edits", type=int, default=5)
    options = args.parse_args()
    print("| pages | cold build | unchanged rebuild | one-page edit (median / worst) | rebuild inside it "
          "| peak memory (cold / unchanged / watch) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for pages in options.pages:
        r = bench(pages, options.edits)
        print(f"| {pages} | {r['cold_s']:.1f} s | {r['unchanged_s']:.2f} s | {r['edit_median_ms']:.0f} ms / "
              f"{r['edit_worst_ms']:.0f} ms | {r['rebuild_median_ms']:.0f} ms | {r['cold_mib']:.0f} / "
              f"{r['unchanged_mib']:.0f} / {r['watch_mib']:.0f} MiB |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
