"""Store: the on-disk form of the cache and the stamp, data only.

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
from pathlib import Path

from .problems import Problem

VERSION = 1


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


# -- shapes shared by the cache and the stamp ---------------------------------------

def text(value) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def texts(value) -> tuple[str, ...]:
    if type(value) is not list:
        raise TypeError("not a list")
    return tuple(text(item) for item in value)


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
