"""The command line: `python build.py [build|check|watch|serve] [options]`.

Exit codes: 0 built (or checked) without problems, 1 content problems,
2 wrong usage. Content problems print as a numbered list without a
traceback; `--debug` adds tracebacks for engine failures.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .cache import Memo, NullMemo, Site, keep_stamps, new_store, recall_stamps, tree_key
from .load import parse_yaml, YamlSyntaxError
from .problems import ContentError, format_problems, printable
from .progress import Progress, Silent
from .snapshot import Snapshot
from .sourcefiles import SourceRefused
from .timeline import BadMoment, clock_now, parse_now
from .write import OutputRefused, prepare_output

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="build.py", description="Build the Panduan Pemilu guide.")
    top.add_argument("command", nargs="?", default="build",
                     choices=("build", "check", "watch", "serve", "schema", "new"),
                     help="build (default): write the site; check: validate everything, write nothing; "
                          "watch: rebuild on every save; serve: watch and preview at http://HOST:PORT/; "
                          "schema: write the content files' JSON Schemas into schemas/ (for editors' tools); "
                          "new page SLUG, new factcheck SLUG: start a page or fact check in both languages")
    top.add_argument("what", nargs="*", help=argparse.SUPPRESS)   # new: the kind and the slug
    top.add_argument("--root", type=Path, default=Path.cwd(), help="the guide's folder (default: here)")
    top.add_argument("--out", type=Path, default=None, help="output folder (default: ROOT/_site)")
    top.add_argument("--now", default=None,
                     help="build as of this moment, e.g. 2024-02-14T08:00+07:00 (default: the clock)")
    top.add_argument("--strict", action="store_true", help="treat warnings as problems")
    top.add_argument("--drafts", action="store_true", help="also build pages and messages marked draft: true")
    top.add_argument("--debug", action="store_true", help="show tracebacks")
    top.add_argument("--quiet", action="store_true", help="print no progress of the build's stages")
    top.add_argument("--host", default="127.0.0.1", help="serve: address to listen on (default: 127.0.0.1)")
    top.add_argument("--port", type=int, default=8000, help="serve: port (default: 8000)")
    top.add_argument("--cache-dir", type=Path, default=None,
                     help="where build keeps work for the next run (default: ROOT/.cache/panduan)")
    top.add_argument("--no-cache", action="store_true", help="build from scratch, reading and writing no cache")
    return top


def guide_timezone(snapshot: Snapshot) -> str:
    """The time zone in guide.yaml, read early to interpret --now; Asia/Jakarta if unreadable."""
    try:
        data = parse_yaml(snapshot.read("guide.yaml").decode("utf-8"))
        zone = data.get("timezone") if isinstance(data, dict) else None
    except (SourceRefused, UnicodeDecodeError, YamlSyntaxError):
        zone = None
    return zone if zone in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura") else "Asia/Jakarta"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    root = args.root.resolve()
    if not os.path.lexists(root / "guide.yaml"):
        print(f"build.py: {root} has no guide.yaml; run it in the guide's folder or pass --root", file=sys.stderr)
        return EXIT_USAGE
    snapshot = Snapshot(root)   # what this run reads of the guide (its key, then the build)
    zone = guide_timezone(snapshot)
    try:
        now = parse_now(args.now, zone) if args.now else clock_now(zone)
    except BadMoment as error:
        print(f"build.py: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.command in ("schema", "new"):
        return _editors(args, root, now)
    if args.what:
        print(f"build.py: unexpected {' '.join(args.what)}", file=sys.stderr)
        return EXIT_USAGE
    out = Path(os.path.abspath(args.out or root / "_site"))   # a link is refused, never followed
    if args.command != "check":
        try:
            prepare_output(root, out)
        except OutputRefused as error:
            print(f"build.py: {error}", file=sys.stderr)
            return EXIT_USAGE
    cache_dir = (args.cache_dir or root / ".cache" / "panduan").resolve()
    if args.command in ("watch", "serve"):
        moment = (lambda: now) if args.now else (lambda: clock_now(zone))
        store = new_store() if args.no_cache else new_store(cache_dir)
        from . import preview
        return preview.run(args.command, root, out, moment, args.strict, args.drafts, args.host, args.port,
                           store, None if args.no_cache else cache_dir)
    started = time.perf_counter()
    store = None if args.no_cache or args.command == "check" else new_store(cache_dir)
    snapshot.stamps, written = recall_stamps(store, "sources"), recall_stamps(store, "outputs")
    memo = Memo(store) if store is not None else NullMemo()
    progress = Silent() if args.quiet else Progress()
    built = []

    def make(report) -> Site:
        """The outermost stage: build (or check) and write; what was written, and the build's warnings."""
        from .builder import build, make_site   # here: an unchanged build imports no stage of it
        made = make_site(root, now, args.strict, args.drafts, memo, progress=progress, snapshot=snapshot) \
            if args.command == "check" else build(root, out, now, args.strict, args.drafts, memo, progress,
                                                  snapshot=snapshot)
        built.append(made)
        report.extend(made.warnings)
        pages = sum(1 for name in made.files if name.endswith(".html"))
        what = "checked" if args.command == "check" else f"built into {out}"
        lines = (f"{pages} pages ({len(made.files)} files) {what}",
                 f"phase: {made.clock.phase.id}; {made.clock.describe()}")
        return Site(None, None, {}, lines) if args.command == "check" else Site.after(made.clock, out, lines, written)

    try:
        # the outermost stage's key (a null memo computes none): every file read, for the build too
        key = tree_key(snapshot, memo.engine, zone, args.strict, args.drafts, out) if store is not None else ""
        site, warnings = memo.stage("site", key, make, valid=lambda site: site.holds(out, now, written))
    except ContentError as error:
        progress.clear()
        print(format_problems(error.problems), file=sys.stderr)
        return EXIT_CONTENT
    except OutputRefused as error:   # the folder changed while building
        print(f"build.py: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception:
        progress.clear()
        if args.debug:
            raise
        print("build.py: the engine failed unexpectedly; run again with --debug and report the traceback",
              file=sys.stderr)
        return EXIT_CONTENT
    if store is not None:
        if snapshot.drifted:   # saved while it was built: built from what was read, not remembered under the key
            store.forget("site", key)
        sources_restamped = keep_stamps(store, "sources", snapshot.stamps)
        outputs_restamped = keep_stamps(store, "outputs", written)
        if built or sources_restamped or outputs_restamped:
            store.save(cache_dir)
    if warnings:
        print(format_problems(list(warnings)), file=sys.stderr)
    took = time.perf_counter() - started
    if built:
        print(f"{site.report[0]} as of {now.isoformat()} in {took:.2f}s")
    else:
        print(f"{site.report[0]} as of {now.isoformat()}: unchanged since the last build, left as it is "
              f"({took:.2f}s)")
    print(*site.report[1:], sep="\n")
    if snapshot.drifted:
        saved = sorted(snapshot.drifted)
        print(f"{', '.join(map(printable, saved))} {'was' if len(saved) == 1 else 'were'} saved while the guide "
              "was being built; the site shows the text as it was read then. Run the build again to be sure it "
              "shows the latest save.")
    return EXIT_OK


def _editors(args, root: Path, now) -> int:
    """`schema` and `new`: files that help editors (editors.py)."""
    from . import editors
    if args.command == "schema":
        if args.what:
            print(f"build.py: unexpected {' '.join(args.what)}", file=sys.stderr)
            return EXIT_USAGE
        changed = editors.write_schemas(root)
        print(f"{len(changed)} files updated: {', '.join(changed)}" if changed else "schemas/ is up to date")
        return EXIT_OK
    if len(args.what) != 2:
        print("build.py: say 'new page SLUG' or 'new factcheck SLUG'", file=sys.stderr)
        return EXIT_USAGE
    try:
        written = editors.write_new(root, *args.what, now.date())
    except editors.Refused as refused:
        print(f"build.py: {refused}", file=sys.stderr)
        return EXIT_USAGE
    print("wrote " + " and ".join(written) + "; fill them in, then run ./run check")
    return EXIT_OK
