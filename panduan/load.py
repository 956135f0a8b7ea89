"""Load: read the source tree into `Source` objects, remembering where every key is.

YAML is parsed with PyYAML's safe loader, extended so that every mapping and
sequence remembers the line and column of its keys and items; the check stage
uses those to point editors at the exact spot. Markdown files are split with
python-frontmatter and their front matter parsed the same way, with line
numbers shifted to match the file.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from .problems import Report


class YamlMap(dict):
    """A mapping that knows where it, each of its keys and each value starts."""

    line = 0
    column = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_at: dict = {}
        self.value_at: dict = {}
        self.repeated: list = []   # (key, line, column, first line)

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


class _LocatingLoader(yaml.SafeLoader):
    def _at(self, node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1


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
    except ValueError:
        return loader.construct_scalar(node)


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


class YamlSyntaxError(Exception):
    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def parse_yaml(text: str):
    """Parse one YAML document safely; raises YamlSyntaxError with a position."""
    loader = _LocatingLoader(text)
    try:
        return loader.get_single_data()
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


@dataclass
class SourceTree:
    root: Path
    files: dict[str, Source] = field(default_factory=dict)

    def get(self, path: str) -> Source | None:
        return self.files.get(path)


YAML_FILES = ("guide.yaml", "content/sources.yaml", "content/schedule.yaml",
              "content/parties.yaml", "content/tickets.yaml", "content/numbers.yaml",
              "content/messages.yaml",
              "i18n/id.yaml", "i18n/en.yaml")   # interface text per language (see i18n.py)
OPTIONAL_YAML_FILES = ("content/results.yaml",)   # read when present (a guide before its election has no results)
PAGES_DIR = "content/pages"
MARKDOWN_DIRS = (PAGES_DIR, "content/hoaxes")
SOURCE_FOLDERS = ("content", "templates", "static", "i18n")   # with guide.yaml: all a build may read


def source_paths(root: Path) -> list[Path]:
    """Every path under the source folders, sorted (guide.yaml aside): what a build may read."""
    return [path for folder in SOURCE_FOLDERS if (root / folder).is_dir() for path in sorted((root / folder).rglob("*"))]


# vim (.x.swp, 4913, x~), emacs (.#x, #x#, x~), JetBrains (x___jb_tmp___), gedit (.goutputstream-*),
# Chromium-based editors (x.crswap), and generic temporary files
EDITOR_LITTER = (".*.sw?", "*~", ".#*", "#*#", "4913", "*.tmp", "*.temp", "*___jb_tmp___", "*___jb_old___",
                 ".goutputstream-*", "*.crswap", ".DS_Store")


def is_editor_litter(name: str) -> bool:
    """An editor's swap, backup or temporary file: never a source, never a reason to rebuild."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in EDITOR_LITTER)


HELP_HINT = "check the indentation and that text containing ':' or '#' is in quotes"


def read_text(root: Path, relative: str, report: Report) -> str | None:
    try:
        raw = (root / relative).read_bytes()
    except OSError as error:
        report.add(relative, 0, 0, f"cannot be read: {error.strerror}")
        return None
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        report.add(relative, line, 0, "is not UTF-8 text", "save the file as UTF-8")
        return None


def _parse_directly(relative: str, text: str, parse, report: Report) -> Source:
    return parse(relative, text, report)


def load_yaml(root: Path, relative: str, report: Report, memo=_parse_directly) -> Source | None:
    if not (root / relative).is_file():
        report.add(relative, 0, 0, "is missing", f"create {relative}; see README.md for its format")
        return None
    text = read_text(root, relative, report)
    return None if text is None else memo(relative, text, parse_yaml_source, report)


def parse_yaml_source(relative: str, text: str, report: Report) -> Source:
    source = Source(relative, text)
    try:
        source.data = parse_yaml(text)
    except YamlSyntaxError as error:
        report.add(relative, error.line, error.column, error.message, HELP_HINT)
        source.ok = False
        return source
    if source.data is None:
        report.add(relative, 0, 0, "is empty", f"see README.md for what {relative} holds")
        source.ok = False
    return source


def load_markdown(root: Path, relative: str, report: Report, memo=_parse_directly) -> Source | None:
    text = read_text(root, relative, report)
    return None if text is None else memo(relative, text, parse_markdown_source, report)


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
    try:
        source.data = parse_yaml(front)  # the front matter text starts on line 1
    except YamlSyntaxError as error:
        report.add(relative, error.line, error.column, error.message, HELP_HINT)
        source.ok = False
    return source


def load_tree(root: Path, report: Report, memo=_parse_directly) -> SourceTree:
    """Read every source file of the guide. Problems go to `report`.

    `memo(relative, text, parse, report)` returns `parse(relative, text, report)`,
    possibly remembered from an earlier build of the same text (see cache.py).
    """
    tree = SourceTree(root)
    for relative in YAML_FILES + tuple(f for f in OPTIONAL_YAML_FILES if (root / f).is_file()):
        source = load_yaml(root, relative, report, memo)
        if source is not None:
            tree.files[relative] = source
    for folder in MARKDOWN_DIRS:
        directory = root / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            relative = f"{folder}/{path.name}"
            if path.name.startswith(".") or path.is_dir() or is_editor_litter(path.name):
                continue
            if path.suffix != ".md":
                report.add(relative, 0, 0, "is not a Markdown page",
                           "pages must end in .md; move other files to static/")
                continue
            source = load_markdown(root, relative, report, memo)
            if source is not None:
                tree.files[relative] = source
    return tree
