"""Content problems: what an editor sees when the guide cannot be built.

Every stage reports what is wrong with the source tree as `Problem`s instead
of raising on the first one, so the editor gets the whole list at once. The
build raises a single `ContentError` carrying that list; the CLI prints it.
"""
from __future__ import annotations

import difflib
from typing import NamedTuple

MESSAGE_LIMIT = 400   # characters of a message or hint shown; values in them are excerpts (see `excerpt`)
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """`text` with control characters, lone surrogates and direction overrides shown as escapes."""
    if text.isprintable() and not BIDI_CONTROLS.intersection(text):
        return text
    return "".join(c if c.isprintable() and c not in BIDI_CONTROLS or c == " " else _escape(c) for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    if char in "\n\t\r":
        return repr(char)[1:-1]
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}" if code < 65536 else f"\\U{code:08x}"


def excerpt(value, limit: int = 40) -> str:
    """A value as a message may quote it: short, and with invisible characters shown as escapes."""
    text = printable(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(text: str) -> str:
    text = printable(text)
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


class Problem(NamedTuple):
    """One problem (sorted by path, line, column, message...). A tuple: a cached stage's thousands
    of warnings are compared and hashed on every rebuild in watch mode, in C."""
    path: str          # relative to the guide's root, with forward slashes
    line: int          # 1-based; 0 when the problem concerns the whole file
    column: int        # 1-based; 0 when unknown
    message: str
    hint: str = ""
    warning: bool = False

    def location(self) -> str:
        path = printable(self.path)
        if not self.line:
            return path
        if not self.column:
            return f"{path}:{self.line}"
        return f"{path}:{self.line}:{self.column}"

    def __str__(self) -> str:
        text = f"{self.location()}: {'warning: ' if self.warning else ''}{_shown(self.message)}"
        if self.hint:
            text += f"\n   hint: {_shown(self.hint)}"
        return text


class ContentError(Exception):
    """The source tree has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    """The numbered list an editor reads: the errors, then the warnings, each sorted (by file, line...)."""
    errors = sorted({p for p in problems if not p.warning})
    warnings = sorted({p for p in problems if p.warning})
    lines = []
    if errors:
        noun = "problem" if len(errors) == 1 else "problems"
        lines.append(f"The guide was not built: {len(errors)} {noun} to fix.")
    for number, problem in enumerate(errors + warnings, start=1):
        lines.append(f"{number}. {problem}")
    return "\n".join(lines)


def did_you_mean(word: str, choices) -> str:
    """A hint naming the closest allowed word, or an empty string."""
    close = difflib.get_close_matches(str(word), sorted(map(str, choices)), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class Report:
    """Collects problems for one build; stages add to it, the build decides."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._seen: set[Problem] = set()
        self._failed = False   # holds an error (not only warnings)

    def add(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        self.extend((Problem(path, line, column, message, hint),))

    def warn(self, path: str, line: int, column: int, message: str, hint: str = "") -> None:
        self.extend((Problem(path, line, column, message, hint, warning=True),))

    def extend(self, problems) -> None:
        """Add problems, skipping repeats (e.g. an untranslated page converted for each language).
        In watch mode every save adds the cached stages' problems again: thousands of warnings in
        a large guide, so this loop is kept tight."""
        seen, kept = self._seen, self.problems
        for problem in problems:
            if problem not in seen:
                seen.add(problem)
                kept.append(problem)
                if not problem.warning:
                    self._failed = True

    @property
    def errors(self) -> list[Problem]:
        """The errors, sorted: the same whichever stage found each first (or a memo replayed it)."""
        return sorted(p for p in self.problems if not p.warning)

    @property
    def warnings(self) -> list[Problem]:
        """The warnings, sorted (see `errors`)."""
        return sorted(p for p in self.problems if p.warning)

    def raise_if_failed(self, strict: bool = False) -> None:
        """Stop the build on any error, or on any warning too when strict."""
        if strict and self.problems:
            raise ContentError([p._replace(warning=False) for p in self.problems])
        if self._failed:
            raise ContentError(self.problems)
