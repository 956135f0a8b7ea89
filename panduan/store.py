"""Store: what earlier builds of one guide computed, kept between builds and on disk as data only.

A `Store` maps (stage name, key) to a stage's result: its value and the
problems it reported (cache.py's `Memo` asks it, one memo per build). It
lives as long as the process (watch mode keeps one across builds) and can be
saved to a folder and loaded by the next `build.py`. Each stage name has a
`Codec` (to JSON-able data and back, checking the shape); a stage without
one (parsed files: objects) is kept in memory only. Entries used by neither
of the last two builds (nor held for the next one) are dropped (`finish`).

Two files: the outermost entry (the whole site, see cli.py) and the stamps of
its files (stamps.py) in site.txt, read first and alone, so that an unchanged
`build.py` reads only what it needs;
every other stage in cache.txt, read only when the build asks for one.

A cache may come from anywhere CI keeps it (actions/cache), from a backup, or
from a careless `git add -f`, so reading one must never run code and never
change what is built: at worst it costs a full rebuild. The format is plain
text, one record a line:

    <checksum> {"format": "panduan-cache", "version": 1, ...}     the header
    <checksum> <kind> <key> <value as JSON>                          each record

The checksum (BLAKE2b, 128 bits, hex) covers the rest of its line, so a
truncated file, a flipped bit or a joined line makes that record a miss, never
a wrong value. Values are JSON (strings, numbers, lists, objects); each kind
of record has a decoder that checks the value's shape and rebuilds the
object, and any record it cannot read is dropped. A file whose header is
missing, damaged, of another format or version, or for another engine is
ignored whole. A file tracked by git is never read nor written (a cache in
the repository is not the guide's source).

Checksums detect damage, not forgery: someone who can write the cache can also
compute them, as someone who can push to the repository can change the guide.
What they cannot do is run code.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .problems import Problem

VERSION = 1
CACHE_FILE = "cache.txt"
SITE_FILE = "site.txt"
FILE_OF = {"site": SITE_FILE, "stamps": SITE_FILE}   # stage name -> its file, if not CACHE_FILE


@dataclass(frozen=True)
class Codec:
    """A stage's result (value, problems) to JSON-able data, and back (raising on a wrong shape)."""
    encode: Callable
    decode: Callable


class Store:
    """Remembered stage results of earlier builds: (name, key) -> (value, problems)."""

    def __init__(self, codecs: dict[str, Codec], header: dict, folder: Path | None = None) -> None:
        self.codecs, self.header = codecs, header
        self.entries: dict[tuple[str, str], tuple] = {}
        self.used: set[tuple[str, str]] = set()
        self.previous: set[tuple[str, str]] = set()
        self.swept = 0   # how many entries the last sweep (`finish`) kept
        self.unread = {SITE_FILE, CACHE_FILE} if folder is not None else set()   # files not yet read
        self.folder = folder
        self.memory: dict[str, object] = {}   # process state kept between builds (compiled templates...)
        self.lock = threading.Lock()   # the search index is looked up and kept from a thread (builder.py)
        self.hits: Counter[str] = Counter()     # stage name -> results found
        self.misses: Counter[str] = Counter()   # stage name -> results computed

    def get(self, name: str, key: str):
        with self.lock:
            self._read(FILE_OF.get(name, CACHE_FILE))
            found = self.entries.get((name, key))
            if found is not None:
                self.used.add((name, key))
            return found

    def put(self, name: str, key: str, found: tuple) -> None:
        with self.lock:
            self.entries[name, key] = found
            self.used.add((name, key))

    def forget(self, name: str, key: str) -> None:
        with self.lock:
            self.entries.pop((name, key), None)
            self.used.discard((name, key))

    def read_all(self) -> dict[tuple[str, str], tuple]:
        """Every entry, read from the folder first if it was not yet."""
        with self.lock:
            for file in (SITE_FILE, CACHE_FILE):
                self._read(file)
            return dict(self.entries)

    def finish(self, held=lambda: ()) -> None:
        """End of one build: forget what neither this build nor the one before used, nor `held()`
        holds (entries behind results a build kept for the next: cache.py). The forgetting waits
        until a quarter more entries came (watch mode builds often, and adds little each time)."""
        with self.lock:
            if not self.swept or len(self.entries) > self.swept * 1.25:
                keep = self.used | self.previous | set(held())
                self.entries = {key: value for key, value in self.entries.items() if key in keep}
                self.swept = len(self.entries) or 1
            self.previous, self.used = self.used, set()

    def _read(self, file: str) -> None:
        if file in self.unread:
            self.unread.discard(file)
            decoders = {name: codec.decode for name, codec in self.codecs.items()
                        if FILE_OF.get(name, CACHE_FILE) == file}
            for found, value in read(self.folder / file, self.header, decoders).items():
                self.entries.setdefault(found, value)

    def save(self, folder: Path) -> None:
        """Write every file read or changed by this run, atomically and as data, unless git tracks it;
        a failure only costs speed."""
        with self.lock:
            for file in (SITE_FILE, CACHE_FILE):
                if file in self.unread and folder == self.folder:
                    continue   # never read: what is on disk is what this run would write
                path = folder / file
                if tracked_by_git(path):
                    continue
                write(path, self.header, ((name, key, self.codecs[name].encode(found))
                                          for (name, key), found in sorted(self.entries.items())
                                          if name in self.codecs and FILE_OF.get(name, CACHE_FILE) == file))


def checksum(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def tracked_by_git(path: Path) -> bool:
    """Is `path` (or anything under it) in the index of the git repository that holds it?"""
    folder = path if path.is_dir() else path.parent
    while not folder.is_dir():
        folder = folder.parent
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", str(path)], cwd=folder, capture_output=True,
                                timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False   # no git, no repository: nothing is tracked
    return listed.returncode == 0 and bool(listed.stdout)


def write(path: Path, header: dict, records) -> None:
    """Write `records` ((kind, key, JSON-able value) triples) atomically; a failure only costs speed later."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                head = json.dumps({"format": "panduan-cache", "version": VERSION, **header}, sort_keys=True)
                stream.write(f"{checksum(head)} {head}\n")
                for kind, key, value in records:
                    line = f"{kind} {key} {json.dumps(value, ensure_ascii=False, separators=(',', ':'))}"
                    stream.write(f"{checksum(line)} {line}\n")
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, UnicodeEncodeError):
        pass


def read(path: Path, header: dict, decoders: dict) -> dict[tuple[str, str], object]:
    """The records of `path` that are intact, as {(kind, key): decoded value}; {} if the file
    is missing, tracked by git, or its header is not exactly `header` in this format's version."""
    try:
        with open(path, "rb") as stream:
            lines = iter(stream)
            head = _checked(next(lines, b""))
            expected = {"format": "panduan-cache", "version": VERSION, **header}
            if head is None or _json(head) != expected or tracked_by_git(path):
                return {}
            found = {}
            for raw in lines:
                line = _checked(raw)
                parts = line.split(" ", 2) if line is not None else ()
                if len(parts) == 3 and parts[0] in decoders:
                    value = _decoded(decoders[parts[0]], parts[2])
                    if value is not None:
                        found[parts[0], parts[1]] = value
            return found
    except OSError:
        return {}


def _checked(raw: bytes) -> str | None:
    """A line's text after its checksum, if the checksum matches."""
    try:
        text = raw.decode("utf-8").removesuffix("\n")
    except UnicodeDecodeError:
        return None
    mark, _, rest = text.partition(" ")
    return rest if mark == checksum(rest) else None


def _json(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _decoded(decoder, text: str):
    """The decoded value, or None if the JSON or its shape is not what the decoder expects."""
    value = _json(text)
    try:
        return decoder(value)
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError):
        return None


# -- shapes the codecs share ---------------------------------------

def text(value) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def texts(value) -> tuple[str, ...]:
    if type(value) is not list:
        raise TypeError("not a list")
    return tuple(text(item) for item in value)


def pair(value) -> tuple:
    if type(value) is not list or len(value) != 2:
        raise TypeError("not a pair")
    return value[0], value[1]


def flag(value) -> bool:
    if type(value) is not bool:
        raise TypeError("not a boolean")
    return value


def whole(value) -> int:
    if type(value) is not int:
        raise TypeError("not an integer")
    return value


def encode_bytes(data: bytes) -> list:
    """Bytes as JSON: UTF-8 text as itself (HTML, XML, JSON), anything else in base64."""
    try:
        return ["t", data.decode("utf-8")]
    except UnicodeDecodeError:
        return ["b", base64.b64encode(data).decode("ascii")]


def decode_bytes(value) -> bytes:
    if type(value) is not list or len(value) != 2:
        raise TypeError("not encoded bytes")
    form, data = value[0], text(value[1])
    if form == "t":
        return data.encode("utf-8")
    if form == "b":
        return base64.b64decode(data, validate=True)
    raise ValueError("unknown form of bytes")


def encode_problems(problems) -> list:
    return [[p.path, p.line, p.column, p.message, p.hint, p.warning] for p in problems]


def decode_problems(value) -> tuple[Problem, ...]:
    if type(value) is not list:
        raise TypeError("not a list")
    found = []
    for item in value:
        if type(item) is not list or len(item) != 6:
            raise TypeError("not a problem")
        found.append(Problem(text(item[0]), whole(item[1]), whole(item[2]), text(item[3]), text(item[4]),
                             flag(item[5])))
    return tuple(found)
