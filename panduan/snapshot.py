"""The guide as one build sees it: its source paths listed once, each file read at most once, and
git asked once.

Every reader of a build takes its files from one `Snapshot`: loading, the check of the
templates' interface keys, the template loader, the static files, the cache's keys and
"last updated" (git). So `build.py`'s key of the tree (cache.tree_key), which reads every file
before the build starts, is made of exactly the bytes the build goes on to use, read from disk
once. A file saved while the guide is being built is not half in this build: it is in the next one,
which sees a different key. Watch mode makes one snapshot per rebuild, which reads only what that
rebuild reads.

The checks of sourcefiles.py apply to every read: a link leaving the guide, a pipe or a file over
its size limit is refused (`SourceRefused`, kept and raised again on every later read).

With stamps (stamps.py; `build.py` keeps them in its cache), the key takes the digest of a file
whose stamp is unchanged without reading it. If the build then reads that file and finds other
bytes (it was saved between the two), the file is `drifted`: the site is built from what was
read, and is not remembered under the key (cli.py), so the next build builds again. If that
file was removed meanwhile, there is nothing to build it from: a problem says so.
"""
from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from .history import AskedGit, GitAnswers
from .problems import Report
from .sourcefiles import SETTINGS, SOURCE_FOLDERS, SourceRefused, read_source, refusal, source_listing
from .stamps import Stamps, content_digest


class Snapshot:
    def __init__(self, root: Path, git_before: GitAnswers | None = None, changed=None,
                 stamps: Stamps | None = None) -> None:
        """`git_before` and `changed`: the last rebuild's answers from git and the paths the watcher
        saw change since (watch mode; history.AskedGit). `stamps`: the sources' stamps (`digest`)."""
        self.root = root
        self._read: dict[str, bytes | SourceRefused] = {}
        self._refused: dict[str, SourceRefused | None] = {}
        self._digests: dict[str, str] = {}
        self._opened: dict[str, os.stat_result] = {}   # path -> fstat of the file its bytes came from
        self._claimed: dict[str, str] = {}   # path -> the digest its stamp gave, the file unread
        self.drifted: set[str] = set()       # files read with other bytes than their stamp's digest
        self._git_before, self._changed = git_before, changed
        self.stamps = stamps

    @functools.cached_property
    def paths(self) -> dict[str, bool]:
        """Every path under the source folders: is it a folder? (sourcefiles.source_listing)"""
        return source_listing(self.root)

    def in_folder(self, folder: str) -> list[str]:
        """What is directly in `folder`, files and folders (relative paths, sorted)."""
        prefix = folder + "/"
        return [path for path in self.paths if path.startswith(prefix) and "/" not in path[len(prefix):]]

    def files_under(self, folder: str) -> list[str]:
        """The files anywhere under `folder` (relative paths, sorted)."""
        prefix = folder + "/"
        return [path for path, is_folder in self.paths.items() if path.startswith(prefix) and not is_folder]

    def exists(self, relative: str) -> bool:
        """Is there anything at `relative` (guide.yaml, or a path under a source folder)? Asked of
        the listing once it is taken, else of the disk: a rebuild in watch mode that reads one
        edited file does not list thousands."""
        if relative == SETTINGS:
            return self.settings_exist
        return relative in self.paths if self._listed else os.path.lexists(self.root / relative)

    @property
    def _listed(self) -> bool:
        return "paths" in self.__dict__   # the cached listing, if taken

    def is_file(self, relative: str) -> bool:
        """Is `relative` a file of the guide (guide.yaml, or a file under a source folder)?"""
        if relative == SETTINGS:
            return self.settings_exist
        return self.paths.get(relative) is False

    def is_folder(self, relative: str) -> bool:
        return self.paths.get(relative) is True

    @functools.cached_property
    def settings_exist(self) -> bool:
        return isinstance(self._read.get(SETTINGS), bytes) or os.path.lexists(self.root / SETTINGS)

    def read(self, relative: str) -> bytes:
        """The bytes of a source file, as read the first time it was asked for (sourcefiles.read_source).
        Once the listing is taken, a file it does not hold is not read: it came later."""
        found = self._read.get(relative)
        if found is None:
            try:
                if relative != SETTINGS and self._listed and relative not in self.paths:
                    raise SourceRefused("did not exist when the build began", "run the build again")
                found, self._opened[relative] = read_source(self.root, relative)
            except SourceRefused as refused:
                found = self._removed(relative) or refused
            self._read[relative] = found
            if relative in self._claimed and self.digest(relative) != self._claimed[relative]:
                self.drifted.add(relative)
        if isinstance(found, SourceRefused):
            raise found
        return found

    def digest(self, relative: str) -> str:
        """The digest of a source file's content, or why it cannot be read (its refusal's message).
        Taken from the stamps, unread, for an ordinary file whose stamp is unchanged."""
        if relative in self._digests:
            return self._digests[relative]
        stamped = self.stamps is not None and relative not in self._read and relative not in self._claimed
        info = self._ordinary(relative) if stamped else None
        if info is not None:
            known = self.stamps.digest(relative, info)
            if known is not None:
                self._claimed[relative] = known
                return known
        try:
            data = self.read(relative)   # which digests it too if the key took its digest from a stamp
        except SourceRefused as refused:
            return refused.message
        found = self._digests[relative] = self._digests.get(relative) or content_digest(data)
        if info is not None:   # lstat before the read: a save during it changes the stamp
            self.stamps.stamp(relative, info, self._opened[relative], found)
        return found

    def _ordinary(self, relative: str) -> os.stat_result | None:
        """lstat of `relative` if it is an ordinary file a build may read (sourcefiles.refusal), else
        None (a link is not stamped: its own stamp says nothing of what it leads to)."""
        try:
            info = os.lstat(self.root / relative)
        except OSError:
            return None
        return info if stat.S_ISREG(info.st_mode) and refusal(self.root, relative, info) is None else None

    def refusal(self, relative: str) -> SourceRefused | None:
        """Why `relative` must not be read (sourcefiles.refusal), as found when it was read or
        first looked at: a file removed once the key was taken is still read, from here."""
        found = self._read.get(relative)
        if found is not None:
            return found if isinstance(found, SourceRefused) else None
        if relative not in self._refused:
            found = refusal(self.root, relative)
            self._refused[relative] = found and (self._removed(relative) or found)
        return self._refused[relative]

    def _removed(self, relative: str) -> SourceRefused | None:
        """Why a file whose digest the key took from its stamp, unread, cannot be read: it is gone."""
        if relative in self._claimed and not os.path.lexists(self.root / relative):
            return SourceRefused("was removed while the guide was being built", "run the build again")
        return None

    def inspect(self, report: Report) -> set[str]:
        """Report every path of the guide that is not a readable source; returns their relative
        paths. Looks at guide.yaml and every listed path, opening nothing not read already."""
        candidates = [SETTINGS] if self.settings_exist else []
        candidates += [folder for folder in SOURCE_FOLDERS if (self.root / folder).is_symlink()]
        candidates += list(self.paths)
        refused = set()
        for relative in candidates:
            problem = self.refusal(relative)
            if problem:
                report.add(relative, 0, 0, problem.message, problem.hint)
                refused.add(relative)
        return refused

    def text(self, relative: str) -> str:
        """A source file as text, with its line ends as Python reads text files (universal newlines)."""
        return self.read(relative).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")

    @functools.cached_property
    def git(self) -> AskedGit:
        """git, asked about the guide's files the first time this is used (history.AskedGit)."""
        return AskedGit(self.root, self._git_before, self._changed)

    def git_answers(self) -> GitAnswers | None:
        """What git answered, if it was asked, waiting for it (for the next rebuild in watch mode;
        and no git is left running after a build, even one stopped by a problem)."""
        return self.git.answers() if "git" in self.__dict__ else None
