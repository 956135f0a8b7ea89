"""Source files: which files a build may read, and reading them within bounds.

Only ordinary files inside the guide are sources. A symbolic link is read
only if it points to a file inside the guide's source folders; one that
leaves them, a named pipe, a socket or a device is a problem naming the path,
found without opening it (a pipe would hang the build, a device never ends).
A file larger than the limit for its kind is a problem too, so no source can
exhaust memory. `source_listing` walks every source folder once and
`refusal` looks at each path found (snapshot.py: `Snapshot.inspect`), before
anything is parsed; `read_source` is what every read of a source comes down to,
and makes the same checks itself, so a file swapped in between the two is
refused all the same.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path


SOURCE_FOLDERS = ("content", "templates", "static", "i18n")   # with guide.yaml: all a build may read
SETTINGS = "guide.yaml"
TEXT_LIMIT = 1024 * 1024          # YAML, Markdown, templates: far above any real page
STATIC_LIMIT = 20 * 1024 * 1024   # images and downloads in static/
NOT_FILES = ((stat.S_ISFIFO, "is a named pipe, not a file"), (stat.S_ISSOCK, "is a socket, not a file"),
             (stat.S_ISCHR, "is a device, not a file"), (stat.S_ISBLK, "is a device, not a file"))
ONLY_FILES = "remove it: only ordinary files are part of the guide"


class SourceRefused(Exception):
    """A path that must not be read; `message` completes 'path: ...'."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def limit_for(relative: str) -> int:
    return STATIC_LIMIT if relative.startswith("static/") else TEXT_LIMIT


def _inside_guide(root: Path, target: Path) -> bool:
    allowed = [root / SETTINGS, *(root / folder for folder in SOURCE_FOLDERS)]
    return any(target == place or place in target.parents for place in allowed)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _control_in_name(name: str) -> str | None:
    bad = _CONTROL.search(name)
    return None if bad is None else f"U+{ord(bad.group()):04X}"


def refusal(root: Path, relative: str, info: os.stat_result | None = None) -> SourceRefused | None:
    """Why the path `relative` under `root` must not be read, or None; looks without opening or
    following. `info`: its lstat, if taken (an unchanged build asks this of every file: snapshot.py)."""
    bad = _control_in_name(relative.rpartition("/")[2])
    if bad:
        return SourceRefused(f"the file name contains a control character ({bad})",
                             "rename the file: letters, digits, '-', '_' and '.' only")
    path = root / relative if info is None or stat.S_ISLNK(info.st_mode) else None
    try:
        info = info or os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):   # missing, or a loop of links
                return SourceRefused("is a link to nothing that can be read", "remove the link")
            what = "folder" if target.is_dir() else "file"
            if not _inside_guide(root.resolve(), target):
                return SourceRefused(f"is a link to a {what} outside the guide; it is not read",
                                     f"copy the {what} into the guide instead of linking to it")
            if what == "folder":
                return SourceRefused("is a link to a folder; links to folders are not followed",
                                     "move the folder itself here")
            info = os.stat(path)
    except OSError as error:
        return SourceRefused(f"cannot be read: {error.strerror}", "check the file's permissions")
    for test, message in NOT_FILES:
        if test(info.st_mode):
            return SourceRefused(message, ONLY_FILES)
    if stat.S_ISREG(info.st_mode) and info.st_size > limit_for(relative):
        return _too_big(relative, info.st_size)
    return None


def _too_big(relative: str, size: int) -> SourceRefused:
    limit = limit_for(relative)
    hint = "make the file smaller" if relative.startswith("static/") else "split it into smaller files"
    return SourceRefused(f"is {size / 1024 / 1024:.1f} MB, more than the {limit // 1024 // 1024} MB a "
                         f"{'static' if relative.startswith('static/') else 'text'} file may have", hint)


def read_source(root: Path, relative: str) -> tuple[bytes, os.stat_result]:
    """The bytes of one source file and what fstat said of the file they were read from; raises
    SourceRefused for anything but a bounded ordinary file in the guide."""
    refused = refusal(root, relative)
    if refused:
        raise refused
    limit = limit_for(relative)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(root / relative, flags)
    except OSError as error:
        raise SourceRefused(f"cannot be read: {error.strerror}", "check the file's permissions") from None
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):   # replaced since it was looked at
            raise SourceRefused("is not an ordinary file", ONLY_FILES)
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_big(relative, os.path.getsize(root / relative))
    return data, info


def source_listing(root: Path) -> dict[str, bool]:
    """Every path under the source folders (relative, '/'-separated, sorted by their parts, links not
    followed, guide.yaml aside): is it a folder? A link to a folder counts as one."""
    found = {}
    for folder in SOURCE_FOLDERS:
        if (root / folder).is_dir() and not (root / folder).is_symlink():
            for directory, subfolders, names in os.walk(root / folder):
                subfolders.sort()
                prefix = os.path.relpath(directory, root).replace(os.sep, "/") + "/"
                found.update((prefix + name, True) for name in subfolders)
                found.update((prefix + name, False) for name in names)
    return {path: found[path] for path in sorted(found, key=lambda path: path.split("/"))}
