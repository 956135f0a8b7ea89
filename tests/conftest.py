"""Fixtures shared by every test folder."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import threading
from pathlib import Path

import jinja2
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sites import FIXTURES, NOW, REPO, assemble, run_build  # noqa: E402

from panduan import builder, watch  # noqa: E402
from panduan.cache import Memo, NullMemo  # noqa: E402
from panduan.render import TemplateBytecode, environment  # noqa: E402
from panduan.snapshot import Snapshot  # noqa: E402


SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
            "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
            "trim_blocks", "lstrip_blocks", "keep_trailing_newline", "newline_sequence", "autoescape",
            "optimized", "is_async", "finalize", "code_generator_class")


@pytest.fixture(autouse=True, scope="session")
def templates_compiled_once():
    """Builds in the tests translate each template to Python once, not once per build: the suite
    makes ~750 builds in hundreds of guide folders, and translating the 25 templates takes about
    0.3 s (of a 0.6 s build of the mini guide).

    - Jinja's translation is kept by the template's name and source text and the environment's
      settings that shape it (SETTINGS, extensions, the names of filters and tests), so a changed
      template is translated again. Filters are keyed by name only: every environment the engine
      makes (render.environment) has the same ones. The translation is compiled to Python bytecode
      with the template's own file name, so problems still name the file the guide has.
    - The repository's templates are translated here, before any build: builds run by run_build
      (sites.py) fork from this process and find them.
    - In-process builds also share the bytecode, as a watch session's builds do. Jinja keys it by
      the template's name and file and checks it against the source's checksum.
    Neither changes an output, only the time."""
    translated: dict[tuple, str] = {}
    translate = jinja2.Environment.compile

    def compile(env, source, name=None, filename=None, raw=False, defer_init=False):
        if raw or not isinstance(source, str):
            return translate(env, source, name, filename, raw, defer_init)
        key = (source, name, defer_init, *(getattr(env, setting) for setting in SETTINGS),
               tuple(env.extensions), tuple(sorted(env.filters)), tuple(sorted(env.tests)))
        if key not in translated:
            translated[key] = translate(env, source, name, filename, raw=True, defer_init=defer_init)
        return env._compile(translated[key], filename or "<template>")

    shared = TemplateBytecode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2.Environment, "compile", compile)
        patch.setattr(NullMemo, "bytecode", shared)
        patch.setattr(Memo, "bytecode", property(lambda memo: shared))
        env = environment(Snapshot(REPO))
        for name in env.list_templates():
            env.get_template(name)
        yield


def pytest_configure(config) -> None:
    """The tests' folders (tmp_path) go to memory (/dev/shm) when Linux has room there, unless
    TMPDIR, PYTEST_DEBUG_TEMPROOT or --basetemp says where: the suite writes some 70,000 files,
    and on this project's two-core machine writing and deleting them on disk took a tenth of its
    time. Only where they are changes; every test writes and reads them the same."""
    memory = Path("/dev/shm")
    if {"TMPDIR", "PYTEST_DEBUG_TEMPROOT", "PYTEST_XDIST_WORKER"} & set(os.environ) or config.option.basetemp \
            or not memory.is_dir() or not os.access(memory, os.W_OK):
        return   # an xdist worker is given a --basetemp inside its controller's
    room = os.statvfs(memory)
    if room.f_bavail * room.f_frsize >= 4 << 30:   # Docker's 64 MB /dev/shm would not hold a run
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(memory)


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """With -m "not browser" (README.md) every test under tests/browser/ would be deselected: they
    are not collected at all (importing them, and Playwright, took 1.3 s in each worker)."""
    if collection_path == Path(__file__).parent / "browser" and \
            " ".join(config.option.markexpr.split()) == "not browser":
        return True
    return None


@pytest.fixture(autouse=True, scope="session")
def search_indexes_made_once(tmp_path_factory):
    """Pagefind indexes each set of pages once in a run of the suite, not once per build: ~300
    builds ask for ~160 different indexes (most build the default guide as of the same moment),
    and each run of Pagefind takes 0.2 s of CPU.

    - An index Pagefind made is kept in a folder all test processes share (xdist workers and the
      builds run_build forks), under the digest of the pages it was made from (search_files reads
      the .html files only), and given again for the same pages. Pagefind's index is a function
      of the pages (search.py): test_reach.py checks two builds give the same bytes, and
      test_search_process.py that the order pages are given in does not matter.
    - Only the builds' way to Pagefind (builder.py and watch.py) is memoised: tests of
      search.search_files itself, and builds in a new Python (run_build_afresh, a Pagefind that
      fails in test_search_process.py), run Pagefind every time. A failed or cancelled run keeps
      nothing.
    Neither changes an output, only the time."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if "PYTEST_XDIST_WORKER" in os.environ else base) / "search-indexes"
    folder.mkdir(exist_ok=True)
    make = builder.search_files

    def search_files(files, cancelled=None):
        key = hashlib.sha256()
        for name in sorted(name for name in files if name.endswith(".html")):
            key.update(b"%s\0%d\0%s" % (name.encode(), len(files[name]), files[name]))
        kept = folder / key.hexdigest()
        if kept.is_file():
            return _index_read(kept)
        index = make(files, cancelled)
        if index is not None:
            _index_written(kept, index)
        return index

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builder, "search_files", search_files)
        patch.setattr(watch, "search_files", search_files)
        yield


def _index_written(path: Path, index: dict[str, bytes]) -> None:
    """The index in one file, whole or not at all: a line of JSON (each file's name and size), then their bytes."""
    names = sorted(index)
    scratch = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}")
    scratch.write_bytes(json.dumps([[name, len(index[name])] for name in names]).encode() + b"\n"
                        + b"".join(index[name] for name in names))
    os.replace(scratch, path)


def _index_read(path: Path) -> dict[str, bytes]:
    data = path.read_bytes()
    at = data.index(b"\n") + 1
    index = {}
    for name, size in json.loads(data[:at]):
        index[name], at = data[at:at + size], at + size
    return index


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """The small fixture guide, ready to build."""
    return assemble(tmp_path / "mini", FIXTURES / "mini")


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime.fromisoformat(NOW)


@pytest.fixture(scope="session")
def default_site(tmp_path_factory) -> Path:
    """The default guide built once, strictly, as of NOW: read it, never change it."""
    out = tmp_path_factory.mktemp("default") / "site"
    result = run_build(REPO, "--out", str(out), "--now", NOW, "--strict")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def voting_day_site(tmp_path_factory) -> Path:
    """The default guide built once, strictly, on voting day (09:00 WIB): read it, never change it."""
    out = tmp_path_factory.mktemp("voting-day") / "site"
    result = run_build(REPO, "--out", str(out), "--now", "2024-02-14T09:00+07:00", "--strict")
    assert result.returncode == 0, result.stderr
    return out
