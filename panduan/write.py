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
from typing import Callable

from .plan import StaticFile


def write_site(out: Path, files: dict[str, bytes], static: tuple[StaticFile, ...],
               index: Callable[[Path], None] | None = None) -> None:
    """Write the site; `index` (the search indexer) runs on the fresh folder before the swap."""
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
        if index is not None:
            index(fresh)
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
