"""Stamps: what `lstat` said of a file when its content was digested, so that the next build can
trust the digest without reading the file again (git's index does the same for a work tree).

A stamp is a file's device, inode, size, modification and change times (nanoseconds). Any write
to a file, and any replacement of it, gives it a new change time, which no program can set back
(on POSIX systems: on Windows, Python's st_ctime is the creation time, which programs can set
and a save through a temporary file keeps, so there stamps are never trusted). So a
file whose stamp is as remembered still holds the bytes its digest was taken of, if the stamp
was taken once the file had settled: a file written again within the same tick of the file
system's clock would keep its times. Hence a stamp is kept only for a file whose times are
`SETTLED_NS` older than the moment its stamp was taken; a file changed more recently is read
again next time, and stamped then (git calls such files "racily clean"). The stamp taken is
the one of the file actually read (its fstat), and only if it is the one lstat gave before: a
folder renamed in between must not pair one file's stamp with another file's bytes. "Settled"
compares the file system's clock with this machine's: a network file system whose clock runs
more than `SETTLED_NS` behind could make a file written just now look settled.

Both ends of `build.py` use stamps (cli.py): the sources, for the site's key (snapshot.py),
and the output folder, to see that it is untouched (cache.Site). A cache restored on another
machine (CI) has other inodes and times: each file is read once there, then trusted again.
"""
from __future__ import annotations

import hashlib
import os
import time

SETTLED_NS = 3 * 10**9   # far above any file system's clock tick (FAT's is 2 s)


def content_digest(data: bytes) -> str:
    """The digest of a file's content (BLAKE2b, 160 bits, hex)."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


USABLE = os.name != "nt"   # see above: st_ctime is not a change time there


def _stamp(info: os.stat_result) -> list[int]:
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


class Stamps:
    """The stamps remembered of one set of files (path -> [device, inode, size, mtime, ctime,
    digest]), and the stamps of this run: `now` holds every file looked up or stamped, so it is what to
    remember next (a file gone is forgotten). Remembered stamps come from a cache, which may be
    damaged or hostile: each is checked when it is looked up, and one of the wrong shape is never
    trusted (reading the cache checks nothing more: an unchanged build looks up every stamp)."""

    def __init__(self, remembered: dict | None = None) -> None:
        self.remembered = remembered or {}
        self.now: dict[str, list] = {}
        self.taken = time.time_ns()   # no later than any lstat made for this run's stamps

    def digest(self, path: str, info: os.stat_result) -> str | None:
        """The remembered digest of `path`, if `info` (its lstat now) is the stamp remembered with it."""
        found = self.remembered.get(path)
        if not USABLE or type(found) is not list or len(found) != 6 or found[:5] != _stamp(info) \
                or type(found[5]) is not str:
            return None
        self.now[path] = found
        return found[5]

    def stamp(self, path: str, looked: os.stat_result, opened: os.stat_result, digest: str) -> None:
        """Remember `digest` as the content of `path`, read from the file fstat gave `opened` of,
        which lstat gave `looked` of before: if both are the same file, as it was, and it had
        settled by then."""
        stamp = _stamp(opened)
        settled = max(opened.st_mtime_ns, opened.st_ctime_ns) < self.taken - SETTLED_NS
        if USABLE and settled and stamp == _stamp(looked):
            self.now[path] = [*stamp, digest]

    @property
    def changed(self) -> bool:
        return self.now != self.remembered

    def encode(self) -> dict:
        """The remembered stamps, as data (store.py)."""
        return dict(sorted(self.remembered.items()))

    @classmethod
    def decode(cls, value) -> "Stamps":
        if type(value) is not dict:
            raise TypeError("not a dict")
        return cls(value)
