"""The store on disk (cache.txt, site.txt) is data (store.py): a damaged or hostile file costs a rebuild, never a wrong page."""
from __future__ import annotations

import json
import pickle
import random
import shutil

import pytest

from live import moment
from sites import NOW, assemble, git, run_build, tree_bytes

from panduan import store
from panduan.builder import build
from panduan.cache import Memo, Site, new_store
from panduan.store import CACHE_FILE, SITE_FILE


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A guide, its clean build, and the cache file a build of it saved."""
    folder = tmp_path_factory.mktemp("warm")
    root = assemble(folder / "guide")
    build(root, folder / "clean", moment())
    cache = new_store()
    build(root, folder / "cached", moment(), memo=Memo(cache))
    cache.save(folder / "cache")
    return root, tree_bytes(folder / "clean"), (folder / "cache" / CACHE_FILE).read_bytes()


def built_with(root, cache_bytes: bytes, tmp_path) -> dict[str, bytes]:
    """The site a build writes with `cache_bytes` as its cache file."""
    (tmp_path / "cache").mkdir(exist_ok=True)
    (tmp_path / "cache" / CACHE_FILE).write_bytes(cache_bytes)
    build(root, tmp_path / "out", moment(), memo=Memo(new_store(tmp_path / "cache")))
    return tree_bytes(tmp_path / "out")


def forged(cache_bytes: bytes, change) -> bytes:
    """The cache with `change` applied to each record's text and the checksums made to match again."""
    head, *records = cache_bytes.decode("utf-8").splitlines()
    lines = [head]
    for record in records:
        rest = change(record.partition(" ")[2])
        lines.append(f"{store.checksum(rest)} {rest}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_the_saved_cache_is_used_whole(warm, tmp_path):
    root, clean, cache_bytes = warm
    assert b'"format": "panduan-cache"' in cache_bytes.split(b"\n")[0]
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / CACHE_FILE).write_bytes(cache_bytes)
    cache = new_store(tmp_path / "cache")
    build(root, tmp_path / "out", moment(), memo=Memo(cache))
    assert set(cache.misses) == {"parse", "model"}   # objects, kept in memory only
    assert tree_bytes(tmp_path / "out") == clean


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],
    lambda data: data[: len(data) - 7],
    lambda data: data.split(b"\n", 1)[1],                         # no header
    lambda data: b"",
    lambda data: bytes(random.Random(1).randrange(256) for _ in range(5000)),
    lambda data: b"\n".join(line[::-1] for line in data.split(b"\n")),
    lambda data: data.replace(b'"version": 1', b'"version": 2', 1),
    lambda data: data.replace(b"\n", b"\r\n"),
], ids=["half", "cut-last-record", "headless", "empty", "random-bytes", "reversed-lines", "other-version", "crlf"])
def test_a_damaged_cache_builds_what_a_clean_build_does(warm, tmp_path, damage):
    root, clean, cache_bytes = warm
    assert built_with(root, damage(cache_bytes), tmp_path) == clean


def test_no_single_bit_flip_gives_a_different_entry(warm, tmp_path):
    """A flipped bit anywhere makes its record (or the whole file) a miss: every entry read equals the original."""
    root, clean, cache_bytes = warm
    (tmp_path / "cache").mkdir()
    path = tmp_path / "cache" / CACHE_FILE
    path.write_bytes(cache_bytes)
    original = new_store(tmp_path / "cache").read_all()
    assert original
    chooser = random.Random(13)
    for _ in range(60):
        position, bit = chooser.randrange(len(cache_bytes)), chooser.randrange(8)
        flipped = bytearray(cache_bytes)
        flipped[position] ^= 1 << bit
        path.write_bytes(bytes(flipped))
        read = new_store(tmp_path / "cache").read_all()
        assert read.keys() <= original.keys() and len(read) < len(original), f"byte {position}, bit {bit}"
        assert all(read[key] == original[key] for key in read), f"byte {position}, bit {bit}"
    assert built_with(root, bytes(flipped), tmp_path) == clean


def test_records_of_the_wrong_shape_are_misses(warm, tmp_path):
    """Hand-made records with valid checksums but values no build made: each is dropped, none crashes the build."""
    root, clean, cache_bytes = warm
    hostile = {
        "render": ['{"b": "x"}', '["b", "not base64!"]', '["z", "x"]', '[1, 2]', '"<p>x</p>"', "null"],
        "prose": ['["<p>x</p>"]', '[1, []]', '["x", [[1, 2, 3, 4, 5, 6]]]', '{"0": "x", "1": []}'],
        "trace": ['[[], [["a"]]]', '[[1], []]', '{"a": 1}', '[[], true, [], []]', '["x", []]'],
        "links": ['[["p", "1", 1, "m", "h", false]]', '"x"', "[[]]"],
        "search": ['{"a": "x"}', '[["a", ["t", "x"]]]'],
        "parse": ['{"path": "guide.yaml"}'],
        "module": ['"os.system"'],
    }

    def swap(record: str) -> str:
        kind, key, _ = record.split(" ", 2)
        values = hostile[kind]
        return f"{kind} {key} {values[int(key[:8], 16) % len(values)]}"

    mangled = forged(cache_bytes, swap)
    extra = "\n".join(f"{store.checksum(r)} {r}" for r in
                      [f"{kind} {'0' * 40} {value}" for kind, values in hostile.items() for value in values] +
                      [f"render {'1' * 40} " + "[" * 100000 + "]" * 100000]).encode()
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / CACHE_FILE).write_bytes(mangled + extra + b"\n")
    assert new_store(tmp_path / "cache").read_all() == {}
    assert built_with(root, mangled + extra + b"\n", tmp_path) == clean


def test_a_pickle_in_the_cache_folder_runs_nothing(warm, tmp_path):
    root, clean, _ = warm

    class Payload:
        def __reduce__(self):
            return (open, (str(tmp_path / "ran"), "w"))

    hostile = pickle.dumps(Payload())
    folder = root / ".cache/panduan"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "cache.pickle").write_bytes(hostile)   # where earlier versions kept their cache
    (folder / CACHE_FILE).write_bytes(hostile)
    (folder / SITE_FILE).write_bytes(hostile)
    result = run_build(root, "--now", NOW, "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "ran").exists()
    assert tree_bytes(tmp_path / "out") == built_site(root, tmp_path)


def built_site(root, tmp_path) -> dict[str, bytes]:
    result = run_build(root, "--now", NOW, "--no-cache", "--out", str(tmp_path / "clean"))
    assert result.returncode == 0, result.stderr
    return tree_bytes(tmp_path / "clean")


def test_a_cache_tracked_by_git_is_neither_read_nor_written(warm, tmp_path):
    """A cache committed to the repository (git add -f) is ignored, even one whose checksums are right."""
    root, clean, cache_bytes = warm
    guide = tmp_path / "guide"
    shutil.copytree(root, guide, ignore=shutil.ignore_patterns(".cache", "_site"))
    folder = guide / ".cache/panduan"
    folder.mkdir(parents=True)
    altered = forged(cache_bytes, lambda record: record.replace("Pemilu", "DIUBAH"))
    (folder / CACHE_FILE).write_bytes(altered)
    (tmp_path / "x").mkdir()
    assert b"DIUBAH" in built_with(guide, altered, tmp_path / "x")["index.html"], \
        "the forged cache should change the page when it is not tracked (else this test proves nothing)"
    (guide / ".gitignore").write_text(".cache/\n")
    git(guide, "init", "-q")
    git(guide, "add", ".")
    git(guide, "add", "-f", f".cache/panduan/{CACHE_FILE}")
    git(guide, "commit", "-qm", "cache")
    result = run_build(guide, "--now", NOW, "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert tree_bytes(tmp_path / "out") == built_site(guide, tmp_path)
    assert (folder / CACHE_FILE).read_bytes() == altered, "a tracked cache must not be rewritten"


@pytest.mark.parametrize("value", [
    '[{"since": 1, "next_change": null, "outputs": {}, "report": ["x"]}, []]',
    '[{"since": "2024-01-01T00:00:00", "next_change": null, "outputs": {}, "report": ["x"]}, []]',
    '[{"since": null, "next_change": null, "outputs": [], "report": ["x"]}, []]',
    '[{"since": null, "next_change": null, "outputs": {}, "report": ["x"]}, [{"path": 1}]]',
    '[{"since": null, "next_change": null, "outputs": {}, "report": []}, []]',
    '[{"since": null, "next_change": null, "outputs": {}}, []]',
    '[]',
])
def test_a_site_record_of_the_wrong_shape_is_no_record(tmp_path, value):
    """The outermost stage's record (what the last build wrote) is read as data like the rest."""
    record = f"site {'0' * 40} {value}"
    head = json.dumps({"format": "panduan-cache", "version": 1, **new_store().header}, sort_keys=True)
    (tmp_path / SITE_FILE).write_text(f"{store.checksum(head)} {head}\n{store.checksum(record)} {record}\n")
    assert new_store(tmp_path).read_all() == {}


def test_a_site_record_survives_saving_and_loading(tmp_path):
    from panduan.problems import Problem
    written = new_store()
    found = (Site("2024-01-10T00:00:00+07:00", None, {"index.html": "d1"}, ("12 pages", "phase: x")),
             (Problem("content/pages/a.md", 3, 1, "m", "h", True),))
    written.put("site", "abc", found)
    written.save(tmp_path)
    assert new_store(tmp_path).read_all() == {("site", "abc"): found}
    data = (tmp_path / SITE_FILE).read_bytes()
    for position in range(0, len(data), 7):
        flipped = bytearray(data)
        flipped[position] ^= 4
        (tmp_path / SITE_FILE).write_bytes(bytes(flipped))
        assert new_store(tmp_path).read_all() == {}, position
