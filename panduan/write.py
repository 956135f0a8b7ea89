"""Write: put the rendered site in place, all at once, and only where it is safe.

The whole site is written into a fresh sibling directory, which then takes
the place of the old one in one step: on Linux the two folders swap names
with renameat2(RENAME_EXCHANGE), so a reader of the output folder always
finds a whole site, the old one or the new one. Elsewhere the old folder is
moved aside and the new one renamed in, which leaves a moment without one.
A build that fails before this point leaves the previous output exactly as
it was. Every file name comes from `urls.file_for`, which refuses paths that
could leave the directory.

The output folder is replaced whole, so it must be one that may be replaced:
`check_output` refuses the guide's own folder, an ancestor of it, a folder
inside a source folder, a symbolic link, and a non-empty folder that is not a
previous build (every build leaves the `MARKER` file in it). Leftover
temporary folders of a build that was killed are removed by the next one.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .sourcefiles import SOURCE_FOLDERS

if TYPE_CHECKING:   # only named in annotations: an unchanged build never imports it
    from .plan import StaticFile

MARKER = ".panduan-site"
MARKER_TEXT = b"This folder was written by Panduan Pemilu's build.py; each build replaces all of it.\n"
GUARDED = (*SOURCE_FOLDERS, ".git")
EARLIER_BUILD = ("index.html", "sitemap.xml", "sw.js", "next-change.json")   # together, only this guide writes them


class OutputRefused(Exception):
    """The output folder is one a build must not replace (a usage error)."""


def prepare_output(root: Path, out: Path) -> None:
    """Raise OutputRefused unless replacing `out` can destroy nothing but an earlier build;
    then remove what killed builds left next to it.

    `out` is taken as given (made absolute, symbolic links not followed)."""
    out = Path(os.path.abspath(out))
    if out.is_symlink():
        raise OutputRefused(f"--out {out} is a symbolic link; a build never writes through one: "
                            "give the folder it points to, or a new folder")
    real, home = out.resolve(), root.resolve()
    if real == home or real in home.parents:
        raise OutputRefused(f"--out {out} is the guide's folder or contains it; a build replaces its output "
                            "folder whole: use a folder of its own, e.g. _site")
    for name in GUARDED:
        guarded = home / name
        if real == guarded or guarded in real.parents:
            raise OutputRefused(f"--out {out} is inside the guide's {name}/ folder; "
                                "use a folder of its own, e.g. _site")
    if real == (home / "guide.yaml"):
        raise OutputRefused(f"--out {out} is the guide's settings file; use a folder, e.g. _site")
    _check_replaceable(out)
    if out.parent.is_dir():
        remove_stale(out)


def _check_replaceable(out: Path) -> None:
    """What write_site itself insists on: no link, no file, no folder of someone else's."""
    if out.is_symlink():
        raise OutputRefused(f"{out} is a symbolic link; a build never writes through one")
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputRefused(f"--out {out} exists and is not a folder; give a folder for the site")
    if (out / MARKER).is_file() and not (out / MARKER).is_symlink():
        return
    if all((out / name).is_file() for name in EARLIER_BUILD):   # built before builds carried the marker
        return
    if any(out.iterdir()):
        raise OutputRefused(f"--out {out} is not empty and is not an earlier build of this guide "
                            f"(it has no {MARKER} file); a build replaces its output folder whole: "
                            "give an empty or new folder, or move that folder's files away yourself")


def write_site(out: Path, files: dict[str, bytes], static: tuple[StaticFile, ...]) -> None:
    """Write the whole site into a fresh folder, then swap it in.

    Raises OutputRefused, writing nothing, when `out` is not an earlier build."""
    staged = Staged(out)
    try:
        staged.add(files, static)
        staged.finish()
    except BaseException:
        staged.abandon()
        raise


class Staged:
    """A site being written into a fresh folder next to `out` (`add`, as often as files are
    ready), then swapped in whole (`finish`) or removed (`abandon`): until then `out` is as it was.

    Raises OutputRefused, making nothing, when `out` is not an earlier build."""

    def __init__(self, out: Path) -> None:
        self.out = Path(os.path.abspath(out))
        _check_replaceable(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.out)
        self.fresh = Path(tempfile.mkdtemp(prefix=_temporary_prefix(self.out, "new"), dir=self.out.parent)).resolve()
        self.made = {self.fresh}
        self.written: dict[str, object] = {}   # name -> what was written (the bytes, or the static file)

    def add(self, files: dict[str, bytes], static: tuple[StaticFile, ...] = ()) -> None:
        """Write what is not written yet, or was written with other content."""
        for item in static:
            name = item.url.lstrip("/")
            if self.written.get(name) is not item:
                with open(_fresh_target(self.fresh, name, self.made), "wb") as stream:
                    stream.write(item.data)
                self.written[name] = item
        for name, data in sorted(files.items()):
            if self.written.get(name) is not data:
                with open(_fresh_target(self.fresh, name, self.made), "wb") as stream:
                    stream.write(data)
                self.written[name] = data

    def finish(self) -> None:
        (self.fresh / MARKER).write_bytes(MARKER_TEXT)
        if _umask() != STANDARD_UMASK:   # else every file is 644 and every folder 755 already
            _normalise_modes(self.fresh)
        else:
            self.fresh.chmod(0o755)           # mkdtemp makes it 700
        _swap(self.fresh, self.out)

    def abandon(self) -> None:
        shutil.rmtree(self.fresh, ignore_errors=True)


def _temporary_prefix(out: Path, kind: str) -> str:
    """`._site.new-<pid>-`: the process id tells a later build whether its writer is still running."""
    return f".{out.name}.{kind}-{os.getpid()}-"


def remove_stale(out: Path) -> None:
    """Remove temporary folders next to `out` left by builds that were killed before they finished."""
    for kind in ("new", "old"):
        for folder in out.parent.glob(f".{out.name}.{kind}-*"):
            pid = folder.name[len(f".{out.name}.{kind}-"):].split("-", 1)[0]
            if folder.is_dir() and not folder.is_symlink() and not _running(pid):
                shutil.rmtree(folder, ignore_errors=True)


def _running(pid: str) -> bool:
    """Is `pid` a running process? Unknown (an older build's name, Windows) counts as running."""
    if sys.platform == "win32":
        return True                   # no safe way to ask: leave the folder
    if not pid.isdigit():
        return False                  # named by a build older than process ids in names: long finished
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _fresh_target(fresh: Path, name: str, made: set[Path]) -> Path:
    """Where `name` goes in the folder this build just made (`fresh`, resolved): checked by its
    parts, not by resolving it (nothing in that folder is a link: only this build writes there,
    and it writes files and folders only); its folders made once (`made`)."""
    parts = name.split("/")
    if not name or name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"refusing to write outside the output directory: {name}")
    target = fresh.joinpath(*parts)
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.update(target.parents)
    return target


STANDARD_UMASK = 0o022   # files made 644 and folders 755, as `_normalise_modes` sets them


def _umask() -> int:
    """The process's umask (reading it means setting it: set back at once)."""
    mask = os.umask(STANDARD_UMASK)
    os.umask(mask)
    return mask


def _inside(root: Path, name: str) -> Path:
    root = root.resolve()
    target = (root / name).resolve()
    if root != target and root not in target.parents:
        raise ValueError(f"refusing to write outside the output directory: {name}")
    return target


def _normalise_modes(root: Path) -> None:
    """Same permissions whatever the umask: directories 755, files 644."""
    root.chmod(0o755)
    for directory, subdirs, names in os.walk(root):
        for sub in subdirs:
            Path(directory, sub).chmod(0o755)
        for name in names:
            Path(directory, name).chmod(0o644)


def _swap(fresh: Path, out: Path) -> None:
    if not out.exists():
        fresh.rename(out)
        return
    if _exchange(fresh, out):
        shutil.rmtree(fresh, ignore_errors=True)   # now the old site
        return
    old = Path(tempfile.mkdtemp(prefix=_temporary_prefix(out, "old"), dir=out.parent))
    old.rmdir()
    out.rename(old)
    fresh.rename(out)
    shutil.rmtree(old, ignore_errors=True)


RENAME_EXCHANGE = 2   # linux/fs.h
AT_FDCWD = -100


def _renameat2():
    """libc's renameat2 (Linux, glibc 2.28 or later), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def _exchange(first: Path, second: Path) -> bool:
    """Swap the names of two folders in one step; False where the system cannot (then nothing moved)."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):   # old kernel, or a file system without it
        return False
    raise OSError(error, os.strerror(error), str(second))


def update_site(out: Path, files: dict[str, bytes], static: tuple[StaticFile, ...],
                written: dict[str, bytes] | None) -> dict[str, bytes]:
    """Bring `out` from the site `written` (what the last call returned) to this one.

    For watch mode: only files whose bytes changed are written, each through a
    temporary file renamed into place (a reader sees the old file or the new
    one, never half of one), and files no longer built are removed. The first
    call, or one after `out` was changed by someone else, writes everything
    with `write_site`. Returns what is now on disk, for the next call.
    """
    wanted = dict(files)
    for item in static:
        wanted[item.url.lstrip("/")] = item.data
    wanted[MARKER] = MARKER_TEXT   # as write_site leaves it
    out = Path(os.path.abspath(out))
    if written is None or out.is_symlink() or not out.is_dir() or not (out / MARKER).is_file():
        write_site(out, files, static)
        return wanted
    out = out.resolve()   # not a link (checked above): its real path, as _inside gives
    for name, data in wanted.items():
        before = written.get(name)
        if before is data or before == data:   # most files are the very objects written last time
            continue
        target = _inside(out, name)
        _make_folders(out, target.parent)
        handle, temporary = tempfile.mkstemp(prefix=".new-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    for name in sorted(written.keys() - wanted.keys(), reverse=True):
        target = _inside(out, name)
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != out and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return wanted


def _make_folders(out: Path, folder: Path) -> None:
    missing = []
    while folder != out and not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        path.chmod(0o755)
