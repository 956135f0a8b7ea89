"""Write: put the rendered site in place, all at once.

The whole site is written into a fresh sibling directory, which then takes
the place of the old one. A build that fails before this point leaves the
previous output exactly as it was; readers of the output directory see the
old site or the new one, never a half-written mix. Every file name comes from
`urls.file_for`, which refuses paths that could leave the directory.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .plan import StaticFile


def write_site(out: Path, files: dict[str, bytes], static: tuple[StaticFile, ...]) -> None:
    """Write the whole site into a fresh folder, then swap it in."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for item in static:
            target = _inside(fresh, item.url.lstrip("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item.source, target)
        for name, data in sorted(files.items()):
            target = _inside(fresh, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _normalise_modes(fresh)
        _swap(fresh, out)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def _inside(root: Path, name: str) -> Path:
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
    if not out.is_dir():
        raise NotADirectoryError(f"{out} exists and is not a directory")
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    fresh.rename(out)
    shutil.rmtree(old, ignore_errors=True)


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
        wanted[item.url.lstrip("/")] = item.source.read_bytes()
    out = out.resolve()
    if written is None or not out.is_dir():
        write_site(out, files, static)
        return wanted
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
    for name in sorted(set(written) - set(wanted), reverse=True):
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
