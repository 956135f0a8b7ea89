"""Load: read the source tree into `Source` objects, remembering where every key is.

YAML is parsed with PyYAML's safe loader, extended so that every mapping and
sequence remembers the line and column of its keys and items; the check stage
uses those to point editors at the exact spot. Markdown files are split with
python-frontmatter and their front matter parsed the same way, with line
numbers shifted to match the file.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import frontmatter
import yaml

from .problems import Report
from .sourcefiles import SourceRefused

if TYPE_CHECKING:
    from .snapshot import Snapshot


class YamlMap(dict):
    """A mapping that knows where it, each of its keys and each value starts."""

    line = 0
    column = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_at: dict = {}
        self.value_at: dict = {}
        self.repeated: list = []   # (key, line, column, first line)

    def copied(self) -> "YamlMap":
        """A copy to change: the same items, and where each starts (shared, never changed)."""
        copy = YamlMap()
        copy.update(self)
        copy.line, copy.column, copy.key_at, copy.value_at, copy.repeated = \
            self.line, self.column, self.key_at, self.value_at, self.repeated
        return copy

    def where(self, key=None) -> tuple[int, int]:
        if key is None or key not in self.key_at:
            return self.line, self.column
        return self.key_at[key]

    def value_where(self, key) -> tuple[int, int]:
        return self.value_at.get(key, self.where(key))


class YamlList(list):
    """A sequence that knows where it and each item starts."""

    line = 0
    column = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_at: list[tuple[int, int]] = []

    def where(self, index=None) -> tuple[int, int]:
        if index is None or index >= len(self.item_at):
            return self.line, self.column
        return self.item_at[index]


YAML_DEPTH = 40   # levels of nesting in one YAML document; the guide's own files use fewer than 6


class _Refused(yaml.MarkedYAMLError):
    """YAML that is well-formed but not accepted in the guide; carries the editor's hint."""

    def __init__(self, message: str, hint: str, mark):
        super().__init__(problem=message, problem_mark=mark)
        self.hint = hint


class _Bounded:
    """Refuses aliases and deep nesting while the document is composed, before any value is built,
    and again while values are built, for a loader whose composer is libyaml's (CSafeLoader).

    An alias (*name) lets a few lines stand for billions of values (an "alias
    bomb"); the guide never needs one. Nesting is counted because composing
    and building recurse once per level."""

    depth = 0
    building = 0

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects:   # only an alias reaches one node twice
            raise _Refused("an alias (*name) is not allowed", "write the value out in full where it is needed",
                           node.start_mark)
        self.building += 1
        try:
            if self.building > YAML_DEPTH:
                raise _Refused(f"nested more than {YAML_DEPTH} levels deep",
                               "the guide's files need only a few levels: check the indentation and brackets",
                               node.start_mark)
            return super().construct_object(node, deep)
        finally:
            self.building -= 1

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _Refused("an alias (*name) is not allowed", "write the value out in full where it is needed",
                           self.peek_event().start_mark)
        self.depth += 1
        try:
            if self.depth > YAML_DEPTH:
                raise _Refused(f"nested more than {YAML_DEPTH} levels deep",
                               "the guide's files need only a few levels: check the indentation and brackets",
                               self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")   # tab, newline pass


def control_character(text: str) -> int | None:
    """The index of the first control character in `text` (tab and newline allowed), or None."""
    found = CONTROL_CHARACTERS.search(text)
    return found.start() if found else None


CONTROL_HINT = "remove it: it is invisible, and often comes from copying text out of another program"


class _LocatingLoader(_Bounded, yaml.SafeLoader):
    def _at(self, node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1


# libyaml's parser (C) where PyYAML was built with it: the same nodes and marks, several times faster.
# Its messages are worded differently, so a document it rejects is parsed again by the pure
# loader above, whose messages (and positions) are the ones editors see.
_FastLoader = type("_FastLoader", (yaml.CSafeLoader, _LocatingLoader), {}) \
    if getattr(yaml, "__with_libyaml__", False) else None


def _construct_map(loader: _LocatingLoader, node):
    mapping = YamlMap()
    mapping.line, mapping.column = loader._at(node)
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word, not a list or mapping", key_node.start_mark)
        if key in mapping:
            mapping.repeated.append((key, *loader._at(key_node), mapping.key_at[key][0]))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_at[key] = loader._at(key_node)
        mapping.value_at[key] = loader._at(value_node)


def _construct_seq(loader: _LocatingLoader, node):
    sequence = YamlList()
    sequence.line, sequence.column = loader._at(node)
    yield sequence
    for item_node in node.value:
        sequence.append(loader.construct_object(item_node, deep=True))
        sequence.item_at.append(loader._at(item_node))


def _construct_timestamp(loader: _LocatingLoader, node):
    """Dates YAML recognises but the calendar doesn't (2024-02-30) stay text for the schema to report."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


def _construct_int(loader: _LocatingLoader, node):
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:   # more digits than Python converts (sys.get_int_max_str_digits)
        raise _Refused("the number has too many digits", "no number in the guide needs more than a few digits",
                       node.start_mark) from None


def _construct_text(loader: _LocatingLoader, node):
    """Text, refused when it holds a control character (written as an escape such as "\\0")."""
    value = loader.construct_scalar(node)
    bad = control_character(value)
    if bad is not None:
        raise _Refused(f"the text contains a control character (U+{ord(value[bad]):04X})", CONTROL_HINT,
                       node.start_mark)
    return value


_LocatingLoader.add_constructor("tag:yaml.org,2002:str", _construct_text)
_LocatingLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LocatingLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LocatingLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LocatingLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


# PyYAML's wording for the mistakes editors make most, in plain words.
_PLAIN_SYNTAX = (
    ("expected <block end>", "this line is not indented like the lines around it"),
    ("mapping values are not allowed here", "a ':' where none is expected (text with ':' needs quotes)"),
    ("could not find expected ':'", "a line is missing the ':' between key and value"),
    ("found character '\\t' that cannot start any token", "a tab is used for indenting; use spaces"),
    ("found duplicate anchor", "an anchor (&name) is defined twice"),
)


def _plain(problem: str) -> str:
    for start, plain in _PLAIN_SYNTAX:
        if problem.startswith(start):
            return plain
    return problem


HELP_HINT = "check the indentation and that text containing ':' or '#' is in quotes"


class YamlSyntaxError(Exception):
    def __init__(self, line: int, column: int, message: str, hint: str = HELP_HINT):
        super().__init__(message)
        self.line, self.column, self.message, self.hint = line, column, message, hint


def _cannot_nest_deeply(text: str) -> bool:
    """True if `text` is sure to nest less deeply than libyaml's composer can recurse (about 10,000
    levels; deeper, it crashes the process): each level takes one of these characters at least."""
    return sum(text.count(mark) for mark in "[{-:?") < FAST_LOADER_MARKS


FAST_LOADER_MARKS = 5000


def parse_yaml(text: str):
    """Parse one YAML document safely; raises YamlSyntaxError with a position."""
    if _FastLoader is not None and control_character(text) is None and _cannot_nest_deeply(text):
        loader = _FastLoader(text)
        try:
            return loader.get_single_data()
        except yaml.YAMLError:
            pass   # reported by the pure loader, in its words
        finally:
            loader.dispose()
    try:
        loader = _LocatingLoader(text)   # checks the characters of the whole text
    except yaml.YAMLError as error:
        raise YamlSyntaxError(0, 0, f"YAML syntax error: {error}") from None
    try:
        return loader.get_single_data()
    except _Refused as error:
        mark = error.problem_mark
        raise YamlSyntaxError(mark.line + 1, mark.column + 1, error.problem, error.hint) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        message = _plain(error.problem or error.context or "cannot be read")
        raise YamlSyntaxError(line, column, f"YAML syntax error: {message}") from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(0, 0, f"YAML syntax error: {error}") from None
    finally:
        loader.dispose()


@dataclass
class Source:
    """One file of the guide: its text and what was parsed from it."""

    path: str                  # relative, forward slashes, e.g. content/parties.yaml
    text: str
    data: object = None        # parsed YAML, or the front matter of a Markdown file
    body: str = ""             # Markdown body (Markdown files only)
    body_line: int = 1         # line of the file where the body starts
    ok: bool = True            # False when the file could not be parsed

    @property
    def front(self) -> str:
        """The text before the body: all of a YAML file, a Markdown file's front matter."""
        return self.text[: len(self.text) - len(self.body)]

    @property
    def blank(self) -> bool:
        """Whether the body is empty or only white space: all the model knows of a body."""
        return not self.body.strip()


@dataclass
class SourceTree:
    root: Path
    files: dict[str, Source] = field(default_factory=dict)

    def get(self, path: str) -> Source | None:
        return self.files.get(path)


CATALOGUES = ("i18n/id.yaml", "i18n/en.yaml")   # interface text per language (see i18n.py)
PAGES_DIR = "content/pages"


# vim (.x.swp, 4913, x~), emacs (.#x, #x#, x~), JetBrains (x___jb_tmp___), gedit (.goutputstream-*),
# Chromium-based editors (x.crswap), and generic temporary files
EDITOR_LITTER = (".*.sw?", "*~", ".#*", "#*#", "4913", "*.tmp", "*.temp", "*___jb_tmp___", "*___jb_old___",
                 ".goutputstream-*", "*.crswap", ".DS_Store")


def is_editor_litter(name: str) -> bool:
    """An editor's swap, backup or temporary file: never a source, never a reason to rebuild."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in EDITOR_LITTER)


def read_text(snapshot: Snapshot, relative: str, report: Report) -> str | None:
    try:
        raw = snapshot.read(relative)
    except SourceRefused as refused:
        report.add(relative, 0, 0, refused.message, refused.hint)
        return None
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        report.add(relative, line, 0, "is not UTF-8 text", "save the file as UTF-8")
        return None
    bad = control_character(text)
    if bad is not None:
        line = text.count("\n", 0, bad) + 1
        column = bad - text.rfind("\n", 0, bad)
        report.add(relative, line, column, f"contains a control character (U+{ord(text[bad]):04X})", CONTROL_HINT)
        return None
    return text


def _parse_directly(relative: str, text: str, parse, report: Report) -> Source:
    return parse(relative, text, report)


def load_yaml(snapshot: Snapshot, relative: str, report: Report, memo=_parse_directly) -> Source | None:
    if not snapshot.exists(relative):
        report.add(relative, 0, 0, "is missing", f"create {relative}; see README.md for its format")
        return None
    text = read_text(snapshot, relative, report)
    return None if text is None else memo(relative, text, parse_yaml_source, report)


def parse_yaml_source(relative: str, text: str, report: Report) -> Source:
    source = Source(relative, text)
    try:
        source.data = parse_yaml(text)
    except YamlSyntaxError as error:
        report.add(relative, error.line, error.column, error.message, error.hint)
        source.ok = False
        return source
    if source.data is None:
        report.add(relative, 0, 0, "is empty", f"see README.md for what {relative} holds")
        source.ok = False
    return source


def load_markdown(snapshot: Snapshot, relative: str, report: Report, memo=_parse_directly) -> Source | None:
    text = read_text(snapshot, relative, report)
    return None if text is None else memo(relative, text, parse_markdown_source, report)


MARKDOWN_DEPTH = 40   # levels of lists and quotes; converting grows much slower than the text beyond it
_BLOCK_MARKERS = re.compile(r"(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*)*")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_DEEP_START = re.compile(rf"^[ \t>*+\-.)0-9]{{{MARKDOWN_DEPTH + 1},}}", re.MULTILINE)


def too_deep(body: str) -> int | None:
    """The line (0 = the body's first) where Markdown lists or quotes nest deeper than MARKDOWN_DEPTH, or None.

    A level is four columns of indentation or one list or quote marker; lines
    of fenced code are not counted."""
    if not _DEEP_START.search(body):   # each level takes at least one character at the start of a line
        return None
    fenced = False
    for number, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced:
            continue
        expanded = line.expandtabs(4)
        stripped = expanded.lstrip(" ")
        indent = len(expanded) - len(stripped)
        markers = _BLOCK_MARKERS.match(stripped).group(0)
        levels = indent // 4 + markers.count(">") + len(re.findall(r"(?:[-*+]|\d{1,9}[.)])[ \t]", markers))
        if levels > MARKDOWN_DEPTH:
            return number
    return None


def parse_markdown_source(relative: str, text: str, report: Report) -> Source:
    source = Source(relative, text)
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        fields = "'claim:', 'verdict:', 'summary:', 'checked:' and 'sources:'" \
            if relative.startswith("content/hoaxes/") else "'title:', 'summary:' and 'order:'"
        report.add(relative, 1, 1, "has no front matter", f"start the file with a '---' line, then {fields}, then '---'")
        source.ok = False
        return source
    try:
        front, body = handler.split(text)
    except ValueError:
        report.add(relative, 1, 1, "front matter is not closed", "end the front matter with a line '---'")
        source.ok = False
        return source
    source.body = body
    source.body_line = text[: len(text) - len(body)].count("\n") + 1 if body else text.count("\n") + 1
    deep = too_deep(body)
    if deep is not None:
        report.add(relative, source.body_line + deep, 1, f"lists or quotes are nested more than {MARKDOWN_DEPTH} "
                   "levels deep", "few readers follow more than three levels: make the list flatter")
        source.ok = False
    try:
        source.data = parse_yaml(front)  # the front matter text starts on line 1
    except YamlSyntaxError as error:
        report.add(relative, error.line, error.column, error.message, error.hint)
        source.ok = False
    return source


def load_tree(snapshot: Snapshot, report: Report, memo=_parse_directly, files=()) -> SourceTree:
    """Read every source file of the guide: the content files of `files` (content.FILES) and the
    interface catalogues. Problems go to `report`.

    `memo(relative, text, parse, report)` returns `parse(relative, text, report)`,
    possibly remembered from an earlier build of the same text (see cache.py).
    """
    tree = SourceTree(snapshot.root)
    refused = snapshot.inspect(report)   # before anything is parsed
    single = [entry.pattern for entry in files if entry.folder is None and (entry.required or
                                                                            snapshot.is_file(entry.pattern))]
    for relative in (*single, *CATALOGUES):
        if relative in refused:
            continue
        source = load_yaml(snapshot, relative, report, memo)
        if source is not None:
            tree.files[relative] = source
    for folder in (entry.folder for entry in files if entry.folder is not None):
        for relative in snapshot.in_folder(folder):
            name = relative.rpartition("/")[2]
            if relative in refused:
                tree.files[relative] = Source(relative, "", ok=False)   # reported; its translations are not orphans
                continue
            if name.startswith(".") or snapshot.is_folder(relative) or is_editor_litter(name):
                continue
            if not name.endswith(".md"):
                report.add(relative, 0, 0, "is not a Markdown page",
                           "pages must end in .md; move other files to static/")
                continue
            source = load_markdown(snapshot, relative, report, memo)
            tree.files[relative] = source or Source(relative, "", ok=False)
    return tree
