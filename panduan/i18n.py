"""Languages: the interface catalogues, translatable content, one guide per language.

The guide is written in its default language (guide.yaml `language:`, Indonesian)
and translated into the others in `LANGUAGES`. Two kinds of text are translated:

- Interface strings (button labels, headings, sentences in templates) live in one
  catalogue per language, `i18n/<lang>.yaml`: nested `key: text` mappings whose
  dotted path is the key templates pass to `t('home.voting_day')`. Text may hold
  `{name}` placeholders filled by the template. The default language's catalogue
  is the reference; a key missing from another catalogue is a warning (the
  default text is shown), so `--strict` turns it into an error.
- Content: a translatable field in YAML (declared once in `schema` with
  `translatable=True`) is either plain text, in the default language, or a
  mapping with one entry per language (`{id: ..., en: ...}`); it becomes a
  `Localized` value that remembers where it was written. A Markdown page or
  fact check `x.md` is translated by `x.en.md` beside it (see `model`).

After checking, `localize(guide, lang)` gives each language its own `Guide` in
which every `Localized` value is plain text and every page and fact check is
its translation (or, untranslated, itself), so templates and later stages only
ever see strings.

Why YAML catalogues rather than gettext .po files: editors already edit YAML
and get problems with file and line from it; .po files need msgid/msgstr
conventions and a compile step that editors do not have. Babel still does what
it is best at: dates and numbers per locale (see `render`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .load import SourceTree, YamlMap, read_text
from .problems import Report, did_you_mean, excerpt

if TYPE_CHECKING:
    from .snapshot import Snapshot

LANGUAGES = ("id", "en")   # every language the guide is published in
CATALOGUE_DIR = "i18n"
KEY = re.compile(r"^[a-z0-9_]+\Z")
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")   # pages, the feed and sitemap, robots.txt
TEMPLATE_CALL = re.compile(r"""\bt\(\s*(['"])([^'"]+)\1\s*[,)]""")   # t('key') or t('key', name=...)
# In interface text: a doubled brace, a {placeholder}, or a lone brace (a mistake).
BRACES = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
PLACEHOLDER_NAME = re.compile(r"^[a-z_][a-z0-9_]*\Z")


def catalogue_path(lang: str) -> str:
    return f"{CATALOGUE_DIR}/{lang}.yaml"


def ordered(default: str) -> tuple[str, ...]:
    """The guide's languages, default first."""
    return (default,) + tuple(lang for lang in LANGUAGES if lang != default)


def prefix(lang: str, default: str) -> str:
    """Where a language's pages live: the default at the root, the others under /<lang>."""
    return "" if lang == default else f"/{lang}"


@dataclass(frozen=True)
class Localized:
    """A translatable content value: text per language, and where it was written.

    The language "" is plain text written without a language, i.e. in the
    guide's default language."""

    texts: tuple[tuple[str, str], ...]
    path: str
    line: int
    column: int
    key: str

    def text(self, lang: str, default: str) -> str:
        found = dict(self.texts)
        if lang in found:
            return found[lang]
        if lang == default and "" in found:
            return found[""]
        return found.get(default, found.get("", self.texts[0][1]))

    def has(self, lang: str, default: str) -> bool:
        found = dict(self.texts)
        return lang in found or (lang == default and "" in found)

    def __str__(self) -> str:
        """The text editors wrote first; for messages only, never for pages."""
        return dict(self.texts).get("", self.texts[0][1])


# --- Content --------------------------------------------------------------------------------

def _walk(value, visit):
    """`value` with `visit` applied to every Localized inside dataclasses and tuples: rebuilt
    where something inside changed, the same object where nothing did (the model is immutable)."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if isinstance(value, Localized):
        return visit(value)
    if isinstance(value, tuple):
        items = tuple(_walk(item, visit) for item in value)
        return value if all(new is old for new, old in zip(items, value)) else items
    names = _fields(kind)
    if names is None:
        return value
    changes = {}
    for name in names:
        old = getattr(value, name)
        new = _walk(old, visit)
        if new is not old:
            changes[name] = new
    return dataclasses.replace(value, **changes) if changes else value


_LEAVES = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})


@functools.cache
def _fields(kind: type) -> tuple[str, ...] | None:
    """The fields a dataclass's instances are made with, or None for other types."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind) if f.init)


def check_translations(guide, default: str, report: Report) -> None:
    """Warn, with file and line, about every translatable value lacking a language."""
    seen: set[Localized] = set()

    def visit(value: Localized) -> Localized:
        if value not in seen and any(char.isalpha() for char in str(value)):   # "%" needs no translation
            seen.add(value)
            for lang in ordered(default):
                if not value.has(lang, default):
                    report.warn(value.path, value.line, value.column,
                                f"'{value.key}' has no {language_name(lang)} text ({lang}:)",
                                f"write it as '{value.key}:' followed by indented lines "
                                f"'{default}: ...' and '{lang}: ...'")
        return value

    _walk(guide, visit)
    for source in guide.pages + guide.fact_checks:
        for lang in ordered(default)[1:]:
            if source.translation(lang) is None:
                stem = source.path.removesuffix(".md")
                report.warn(source.path, 0, 0, f"has no {language_name(lang)} translation",
                            f"create {stem}.{lang}.md with the translated front matter and text")


def localize(guide, lang: str, default: str):
    """The guide as read in `lang`: plain text everywhere, pages and fact checks in their translation."""
    localized = _walk(guide, lambda value: value.text(lang, default))
    return dataclasses.replace(localized, pages=tuple(page.in_language(lang) for page in localized.pages),
                               fact_checks=tuple(check.in_language(lang) for check in localized.fact_checks))


def language_name(lang: str) -> str:
    """For editor-facing messages (which are in English), not for pages."""
    return {"id": "Indonesian", "en": "English"}.get(lang, lang)


# --- Interface catalogues ---------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    text: str
    line: int
    column: int


class Catalogues:
    """The interface strings of every language, and `t()` for templates."""

    def __init__(self, default: str, entries: dict[str, dict[str, Entry]]):
        self.default = default
        self.entries = entries

    def text(self, lang: str, key: str) -> str:
        entry = self.entries.get(lang, {}).get(key) or self.entries[self.default].get(key)
        if entry is None:
            raise KeyError(f"no interface text '{key}' in {catalogue_path(self.default)}")
        return entry.text

    def translate(self, lang: str, key: str, **values) -> Markup:
        """The text of `key` in `lang` (default language if missing), placeholders filled and escaped."""
        return Markup("").join(escape(piece) for piece in _filled(self.text(lang, key), key, values))

    def plain(self, lang: str, key: str, **values) -> str:
        """The same as plain text, for files that are not HTML (calendars, next-change.json)."""
        return "".join(str(piece) for piece in _filled(self.text(lang, key), key, values))

    def translator(self, lang: str):
        """`t()` for the templates of one language; an unknown key is a template error at its line."""
        def t(key: str, **values) -> Markup:
            try:
                return self.translate(lang, key, **values)
            except KeyError as error:
                import jinja2   # here: editors' tools read catalogues without the template engine
                raise jinja2.UndefinedError(error.args[0]) from None
        return t


def _flatten(mapping: YamlMap, path: str, report: Report, into: dict[str, Entry], parent: str = "") -> None:
    for key, value in mapping.items():
        line, column = mapping.where(key)
        if not isinstance(key, str) or not KEY.match(key):
            report.add(path, line, column, f"'{key}' is not a valid key",
                       "use lowercase letters, digits and _ only, e.g. voting_day")
            continue
        full = f"{parent}.{key}" if parent else key
        if isinstance(value, YamlMap):
            _flatten(value, path, report, into, full)
        elif isinstance(value, str) and value.strip():
            into[full] = Entry(value.strip(), *mapping.value_where(key))
        else:
            report.add(path, line, column, f"'{full}' must be text",
                       "write the text after the colon, in quotes if it contains ':' or '#'")


class BadBraces(ValueError):
    """Interface text with a lone brace or a placeholder that is not a plain name."""


@functools.lru_cache(maxsize=4096)   # the same interface texts are filled on every page
def _pieces(text: str) -> tuple[tuple[str, str | None], ...]:
    """The text as (literal, placeholder name or None) pairs.

    Only plain `{name}` placeholders exist: not str.format's `{name.attribute}`,
    `{name[item]}` or `{name!r:>10}`, through which interface text could read
    any object reachable from a value (once, the process environment)."""
    pieces, start = [], 0
    for match in BRACES.finditer(text):
        literal = text[start:match.start()]
        start = match.end()
        found = match.group(0)
        if found in ("{{", "}}"):
            pieces.append((literal + found[0], None))
        elif match.group(1) is None:
            raise BadBraces("unmatched")
        elif not PLACEHOLDER_NAME.match(match.group(1)):
            raise BadBraces(match.group(1))
        else:
            pieces.append((literal, match.group(1)))
    pieces.append((text[start:], None))
    return tuple(pieces)


def _filled(text: str, key: str, values: dict) -> list:
    """The literal text and the values of its placeholders, in order, for the caller to join."""
    filled = []
    for literal, name in _pieces(text):
        filled.append(literal)
        if name is not None:
            if name not in values:
                raise KeyError(f"interface text '{key}' needs a value for {{{name}}}")
            filled.append(values[name])
    return filled


def _placeholders(text: str) -> set[str] | None:
    try:
        return {name for _, name in _pieces(text) if name is not None}
    except BadBraces:
        return None


def _check_braces(path: str, key: str, entry: Entry, report: Report) -> None:
    try:
        _pieces(entry.text)
    except BadBraces as error:
        if error.args[0] == "unmatched":
            report.add(path, entry.line, entry.column, f"'{key}' has an unmatched '{{' or '}}'",
                       "placeholders look like {date}; write other braces as {{ and }}")
        else:
            report.add(path, entry.line, entry.column,
                       f"'{key}' has the placeholder '{{{excerpt(error.args[0])}}}', which is not a plain name",
                       "a placeholder is a name in braces, such as {date}, filled in by the page; "
                       "write other braces as {{ and }}")


def load_catalogues(tree: SourceTree, default: str, snapshot: Snapshot, report: Report,
                    engine_keys: tuple[str, ...] = ()) -> Catalogues:
    """Read and check every catalogue against the default one, the templates' t() calls (the
    templates read from `snapshot`) and `engine_keys`, the keys the engine itself uses (e.g. page titles in `plan`)."""
    entries: dict[str, dict[str, Entry]] = {}
    for lang in ordered(default):
        path = catalogue_path(lang)
        source = tree.get(path)
        entries[lang] = {}
        if source is None or not source.ok:
            continue
        if not isinstance(source.data, YamlMap):
            report.add(path, 1, 1, "expected 'key: text' lines", "see i18n/id.yaml for the format")
            continue
        _flatten(source.data, path, report, entries[lang])
        for key, entry in sorted(entries[lang].items()):
            _check_braces(path, key, entry, report)
    reference = entries[default]
    for lang in ordered(default)[1:]:
        path, own = catalogue_path(lang), entries[lang]
        for key, entry in sorted(reference.items()):
            if key not in own:
                report.warn(path, 0, 0, f"no {language_name(lang)} text for '{key}' "
                            f"({catalogue_path(default)}:{entry.line}); the {language_name(default)} text is shown",
                            f"add '{key}' to {path}")
            elif None not in (_placeholders(own[key].text), _placeholders(entry.text)) \
                    and _placeholders(own[key].text) != _placeholders(entry.text):   # else reported above
                wanted = ", ".join(sorted("{" + p + "}" for p in _placeholders(entry.text) or ())) or "none"
                report.add(path, own[key].line, own[key].column,
                           f"'{key}' must use the same placeholders as {catalogue_path(default)}:{entry.line}",
                           f"placeholders there: {wanted}")
        for key, entry in sorted(own.items()):
            if key not in reference:
                report.warn(path, entry.line, entry.column, f"'{key}' is not in {catalogue_path(default)}",
                            did_you_mean(key, reference) or "remove it, or add it there first")
    _check_templates(snapshot, reference, default, report)
    if source_ok(tree, catalogue_path(default)):
        for key in engine_keys:
            if key not in reference:
                report.add(catalogue_path(default), 0, 0, f"'{key}' is missing", "the engine needs it; "
                           f"add it (see the same key in another catalogue of {CATALOGUE_DIR}/)")
    return Catalogues(default, entries)


def source_ok(tree: SourceTree, path: str) -> bool:
    source = tree.get(path)
    return source is not None and source.ok


def _check_templates(snapshot: Snapshot, reference: dict[str, Entry], default: str, report: Report) -> None:
    """Every t('key') in a template names a key of the default catalogue."""
    for relative in snapshot.files_under("templates"):
        if PurePosixPath(relative).suffix not in TEMPLATE_SUFFIXES:
            continue
        text = read_text(snapshot, relative, report)   # not UTF-8, or a control character: a problem with its line
        if text is None:
            continue
        for match in TEMPLATE_CALL.finditer(text):
            key = match.group(2)
            if key not in reference:
                line = text.count("\n", 0, match.start()) + 1
                report.add(relative, line, 0, f"t('{key}') is not in {catalogue_path(default)}",
                           did_you_mean(key, reference) or f"add '{key}' to every catalogue in i18n/")
