"""Schema: every field an editor may write, declared once.

Each content type is a `Schema`: a set of `Field`s with a kind (the type and
its conversion), whether it is required, allowed values and a one-line
description. `validate` checks one YAML mapping against a schema, converts
values (e.g. quoted dates), reports every problem with its line and column,
and returns the mapping with absent optional fields set to their default.
Cross-references between files (a ticket naming a party) are checked in
`model`, which knows the whole guide.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from .i18n import LANGUAGES, Localized
from .load import YamlList, YamlMap
from .problems import Report, did_you_mean, excerpt

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")   # \Z: "$" would let a final newline through
SLUG_LENGTH = 80   # an address, and a folder name on every file system
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}\Z")
FIRST_YEAR, LAST_YEAR = 1900, 2199   # dates outside are typing mistakes, and the calendar arithmetic ends at 9999
LARGEST = 1_000_000                  # no count, order or ballot number of the guide comes near
MOST_VOTES = 1_000_000_000           # votes: Indonesia's 2024 voter list (DPT) held 204.8 million
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")   # for editors' tools; the checks use date.fromisoformat
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def json_pattern(pattern: re.Pattern) -> str:
    """`pattern` for JSON Schema, whose regular expressions know "$" but not Python's "\\Z"."""
    return pattern.pattern.replace(r"\Z", "$")


class Invalid(Exception):
    """A value does not fit its kind; the message completes 'key: ...'."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def _describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, int) and abs(value) >= 10 ** 15:
        return f"a number of {len(str(abs(value)))} digits"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{excerpt(value)}'"


class Kind:
    """How a field's value is checked and converted."""

    name = "value"

    def convert(self, value):
        return value

    def json_schema(self) -> dict:
        """The JSON Schema of a value of this kind, for editors' tools (editors.py)."""
        return {}


class Text(Kind):
    name = "text"

    def convert(self, value):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise Invalid(f"expected text, got {_describe(value)}")
        if not isinstance(value, str):
            raise Invalid(f"expected text, got {_describe(value)}",
                          "put the value in quotes, e.g. \"07.00\"; YAML reads 13:00 as a number")
        if not value.strip():
            raise Invalid("must not be empty")
        if "\n" in value.strip():
            raise Invalid("must be one line of text",
                          "remove the line break; longer text belongs on a page in content/pages/")
        return value.strip()

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": r"\S"}


class Slug(Kind):
    name = "slug"

    def convert(self, value):
        if not isinstance(value, str) or not SLUG.match(value):
            raise Invalid(f"expected a slug, got {_describe(value)}",
                          "use lowercase letters, digits and hyphens, e.g. masa-kampanye")
        if len(value) > SLUG_LENGTH:
            raise Invalid(f"is longer than {SLUG_LENGTH} characters", "use a shorter slug")
        return value

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": json_pattern(SLUG), "maxLength": SLUG_LENGTH}


class Integer(Kind):
    name = "whole number"

    def __init__(self, minimum: int = -LARGEST, maximum: int = LARGEST):
        self.minimum, self.maximum = minimum, maximum

    def convert(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"expected a whole number, got {_describe(value)}")
        if value < self.minimum:
            raise Invalid(f"must be at least {self.minimum}, got {_describe(value)}")
        if value > self.maximum:
            raise Invalid(f"must be at most {self.maximum}, got {_describe(value)}")
        return value

    def json_schema(self) -> dict:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


class Number(Kind):
    name = "number"

    def convert(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid(f"expected a number, got {_describe(value)}",
                          "write decimals with a dot, e.g. 24.95")
        return _finite(value)

    def json_schema(self) -> dict:
        return {"type": "number"}


def _finite(value):
    if not math.isfinite(value) or abs(value) > LARGEST ** 3:
        raise Invalid(f"expected a number of everyday size, got {_describe(value)}")
    return value


class NumberOrText(Kind):
    name = "number or text"

    def convert(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise Invalid(f"expected a number or text, got {_describe(value)}")
        return Text().convert(value) if isinstance(value, str) else _finite(value)

    def json_schema(self) -> dict:
        return {"type": ["number", "string"]}


class Boolean(Kind):
    name = "yes/no"

    def convert(self, value):
        if not isinstance(value, bool):
            raise Invalid(f"expected true or false, got {_describe(value)}")
        return value

    def json_schema(self) -> dict:
        return {"type": "boolean"}


def in_calendar(moment):
    """`moment` (a date or date-time), if its year is one the guide can mean; else Invalid."""
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise Invalid(f"the year {moment.year} is not between {FIRST_YEAR} and {LAST_YEAR}",
                      "check the year; write dates as YYYY-MM-DD, e.g. 2024-02-14")
    return moment


class Date(Kind):
    name = "date"

    def convert(self, value):
        if isinstance(value, dt.datetime):
            raise Invalid(f"expected a date without a time, got {value.isoformat()}")
        if isinstance(value, dt.date):
            return in_calendar(value)
        if isinstance(value, str):
            try:
                return in_calendar(dt.date.fromisoformat(value.strip()))
            except ValueError:
                if DATE.match(value.strip()):
                    raise Invalid(f"{value.strip()} is not a day of the calendar",
                                  "check the month and the day") from None
        raise Invalid(f"expected a date, got {_describe(value)}",
                      "write dates as YYYY-MM-DD, e.g. 2024-02-14")

    def json_schema(self) -> dict:
        return {"type": "string", "format": "date", "pattern": DATE.pattern}


class DateTime(Kind):
    """A date (meaning its first minute) or a date and time; without an offset, in the guide's zone."""

    name = "date and time"

    def convert(self, value):
        if isinstance(value, dt.datetime):
            return in_calendar(value)
        if isinstance(value, dt.date):
            return dt.datetime.combine(in_calendar(value), dt.time())
        if isinstance(value, str):
            try:
                return in_calendar(dt.datetime.fromisoformat(value.strip()))
            except ValueError:
                pass
        raise Invalid(f"expected a date and time, got {_describe(value)}",
                      "write \"2024-02-14T07:00\" (the guide's time zone) or \"2024-02-14T07:00+07:00\", in quotes")

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": DATE_TIME.pattern}


class Url(Kind):
    name = "web address"

    def convert(self, value):
        if not isinstance(value, str) or not URL.match(value.strip()):
            raise Invalid(f"expected a full web address, got {_describe(value)}",
                          "start it with https://")
        return value.strip()

    def json_schema(self) -> dict:
        return {"type": "string", "format": "uri", "pattern": URL.pattern}


class SiteAddress(Url):
    """The address the guide is published at (base_url). It goes into every page, the
    sitemap, robots.txt, the feeds and the calendars, so it holds only characters that
    mean the same in all of them: nothing that could end an attribute, a tag or a line."""

    ALLOWED = re.compile(r"[A-Za-z0-9._~%/:+-]")
    SHAPE = re.compile(r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?/(?:[A-Za-z0-9._~%+-]+/)*$")

    def convert(self, value):
        address = super().convert(value)
        bad = next((char for char in address if not self.ALLOWED.match(char)), None)
        if bad is not None:
            raise Invalid(f"the address has {_character(bad)} in it, which a site address may not contain",
                          "write the address as the browser's address bar shows it, e.g. https://pemilu.example/")
        if not address.endswith("/"):
            raise Invalid("must end with '/'", f"write {excerpt(address)}/")
        path = address.split("/", 3)[3]
        if not self.SHAPE.match(address) or any(part in (".", "..") for part in path.split("/")):
            raise Invalid(f"expected the site's address such as https://pemilu.example/, got '{excerpt(address)}'",
                          "a host name, then folder names each followed by one '/'")
        return address

    def json_schema(self) -> dict:
        return {"type": "string", "format": "uri", "pattern": json_pattern(self.SHAPE)}


def _character(char: str) -> str:
    """A character as a message names it: printable ones quoted, others by code point."""
    if char == " ":
        return "a space"
    return f"'{char}'" if char.isprintable() else f"the character U+{ord(char):04X}"


class SitePath(Kind):
    """A link inside the guide, as a site path such as /jadwal/."""

    name = "site path"

    def convert(self, value):
        if not isinstance(value, str) or not value.startswith("/") or ".." in value or "//" in value:
            raise Invalid(f"expected a site path such as /jadwal/, got {_describe(value)}")
        return value

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": r"^/(?!.*\.\.)(?!.*//)"}


class Colour(Kind):
    name = "colour"

    def convert(self, value):
        if not isinstance(value, str) or not HEX_COLOUR.match(value):
            raise Invalid(f"expected a colour such as \"#9e9e9e\", got {_describe(value)}",
                          "write six hex digits after # and put the value in quotes")
        return value.lower()

    def json_schema(self) -> dict:
        return {"type": "string", "pattern": json_pattern(HEX_COLOUR)}


class Choice(Kind):
    def __init__(self, *choices: str):
        self.choices = choices
        self.name = " or ".join(choices)

    def convert(self, value):
        if value not in self.choices:
            allowed = ", ".join(self.choices)
            raise Invalid(f"must be one of {allowed}, got {_describe(value)}", did_you_mean(value, self.choices))
        return value

    def json_schema(self) -> dict:
        return {"enum": list(self.choices)}


class ListOf(Kind):
    def __init__(self, item: Kind, unique: bool = False):
        self.item, self.unique = item, unique
        self.name = f"list of {item.name}"

    def json_schema(self) -> dict:
        return {"type": "array", "items": self.item.json_schema()} | ({"uniqueItems": True} if self.unique else {})


class Record(Kind):
    def __init__(self, schema: "Schema"):
        self.schema = schema
        self.name = schema.name

    def json_schema(self) -> dict:
        return self.schema.json_schema()


@dataclass(frozen=True)
class Field:
    kind: Kind
    doc: str
    required: bool = True
    default: object = None
    translatable: bool = False   # plain text in the default language, or {id: ..., en: ...}


@dataclass(frozen=True)
class Schema:
    name: str
    fields: dict[str, Field] = field(default_factory=dict)

    def json_schema(self) -> dict:
        """A mapping of these fields: each typed and described, the required ones required, no others."""
        properties = {}
        for key, declared in self.fields.items():
            value = declared.kind.json_schema()
            if declared.translatable:   # plain text, or one text per language
                value = {"anyOf": [value, {"type": "object", "properties": {lang: value for lang in LANGUAGES},
                                           "additionalProperties": False, "minProperties": 1}]}
            properties[key] = {"description": declared.doc, **value}
        return {"type": "object", "title": self.name, "properties": properties,
                "required": [key for key, declared in self.fields.items() if declared.required],
                "additionalProperties": False}


def validate(value, schema: Schema, path: str, report: Report, where=(0, 0)) -> YamlMap | None:
    """Check a mapping against `schema`; return a copy of it converted, or None if unusable (the
    parsed files are kept from build to build, cache.py: they are never changed)."""
    if not isinstance(value, YamlMap):
        report.add(path, *where, f"expected {schema.name} (a set of 'key: value' lines), got {_describe(value)}")
        return None
    value = value.copied()
    for key, line, column, first in value.repeated:
        report.add(path, line, column, f"'{key}' is given twice (also line {first})", "keep only one")
    misspelt = set()
    for key in value:
        if key not in schema.fields:
            close = did_you_mean(key, schema.fields)
            misspelt.add(close.split("'")[1] if close else None)
            hint = close or "allowed: " + ", ".join(schema.fields)
            report.add(path, *value.where(key), f"unknown key '{key}' in {schema.name}", hint)
    for key, declared in schema.fields.items():
        if key not in value or value[key] is None:
            if declared.required and key not in misspelt:
                report.add(path, *value.where(), f"{schema.name} is missing '{key}': {declared.doc}",
                           f"add a line '{key}: ...'")
            value[key] = declared.default
            continue
        if declared.translatable:
            value[key] = _translations(value[key], declared.kind, key, path, report, value.value_where(key))
        else:
            value[key] = _convert(value[key], declared.kind, key, path, report, value.value_where(key))
    return value


def _translations(raw, kind: Kind, key: str, path: str, report: Report, where) -> Localized | None:
    """A translatable value: plain text (the default language) or one entry per language."""
    if not isinstance(raw, YamlMap):
        text = _convert(raw, kind, key, path, report, where)
        return None if text is None else Localized((("", text),), path, *where, key)
    texts = []
    for lang in raw:
        if lang not in LANGUAGES:
            report.add(path, *raw.where(lang), f"{key}: '{lang}' is not a language of the guide",
                       did_you_mean(lang, LANGUAGES) or "use " + " and ".join(f"'{l}:'" for l in LANGUAGES))
            continue
        text = _convert(raw[lang], kind, f"{key}.{lang}", path, report, raw.value_where(lang))
        if text is not None:
            texts.append((lang, text))
    if not texts:
        report.add(path, *where, f"{key}: no text in any language", f"write e.g. '{LANGUAGES[0]}: ...'")
        return None
    return Localized(tuple(texts), path, *where, key)


def _convert(raw, kind: Kind, key: str, path: str, report: Report, where):
    if isinstance(kind, Record):
        return validate(raw, kind.schema, path, report, where)
    if isinstance(kind, ListOf):
        if not isinstance(raw, YamlList):
            report.add(path, *where, f"{key}: expected a list, got {_describe(raw)}",
                       "write one '- item' per line, or [a, b] on one line")
            return None
        items = YamlList()
        items.line, items.column = raw.line, raw.column
        seen: dict = {}
        for index, item in enumerate(raw):
            converted = _convert(item, kind.item, key, path, report, raw.where(index))
            if converted is None:
                continue
            if kind.unique:
                if converted in seen:
                    report.add(path, *raw.where(index),
                               f"{key}: {converted} is listed twice (also line {seen[converted]})")
                    continue
                seen[converted] = raw.where(index)[0]
            items.append(converted)
            items.item_at.append(raw.where(index))
        return items
    try:
        return kind.convert(raw)
    except Invalid as problem:
        report.add(path, *where, f"{key}: {problem.message}", problem.hint)
        return None


def complete(item: YamlMap | None, schema_: Schema) -> bool:
    """True when every required field of a validated record has a usable value."""
    return item is not None and all(
        item.get(name) is not None for name, declared in schema_.fields.items() if declared.required)


def read_list(source_data, key: str, schema: Schema, path: str, report: Report) -> list[YamlMap]:
    """Validate a file whose only top-level key holds a list of records."""
    if source_data is None:
        return []   # missing, empty or unreadable: already reported when loading
    if not isinstance(source_data, YamlMap):
        report.add(path, 1, 1, f"expected '{key}:' followed by a list", f"start the file with '{key}:'")
        return []
    wrapper = Schema(f"{path}", {key: Field(ListOf(Record(schema)), f"the list of {schema.name}s")})
    checked = validate(source_data, wrapper, path, report)
    return [item for item in (checked or {}).get(key) or [] if item is not None]


# --- The guide's content types ------------------------------------------------------------

SOURCE = Schema("source", {
    "id": Field(Slug(), "short name other files use to cite it, e.g. pkpu-3-2022"),
    "title": Field(Text(), "what the document or article is", translatable=True),
    "publisher": Field(Text(), "who published it"),
    "short": Field(Text(), "a few words naming the document, e.g. PKPU 3/2022, shown after the publisher in "
                   "every link to it (default: the title, when another source has the same publisher)", required=False,
                   translatable=True),
    "url": Field(Url(), "where the public can read it", required=False),
    "date": Field(Date(), "when it was published", required=False),
})

BALLOT = Schema("ballot", {
    "race": Field(Text(), "what the ballot elects", translatable=True),
    "colour_name": Field(Text(), "the colour's name, shown beside the swatch", translatable=True),
    "colour": Field(Colour(), "the swatch colour, e.g. \"#9e9e9e\""),
})

# The periods of the election, in order; each after the first starts on the first day of
# the schedule stage that guide.yaml names for it (`election: phases:`).
PHASES = ("pra-kampanye", "kampanye", "masa-tenang", "pemungutan-suara", "rekapitulasi", "hasil")

PHASE_STARTS = Schema("phase starts", {
    phase: Field(Slug(), f"id of the stage in content/schedule.yaml whose first day starts '{phase}'",
                 required=False)
    for phase in PHASES[1:]
})

ELECTION = Schema("election", {
    "name": Field(Text(), "the election's name", translatable=True),
    "voting_day": Field(Date(), "voting day"),
    "voting_hours": Field(Text(), "polling-station opening hours, local time"),
    "source": Field(Slug(), "source id for the voting day and hours"),
    "ballots": Field(ListOf(Record(BALLOT)), "the ballots a voter receives"),
    "ballots_source": Field(Slug(), "source id for the ballots"),
    "phases": Field(Record(PHASE_STARTS), "the stage that starts each phase of the election", required=False),
})

NAV_ITEM = Schema("navigation item", {
    "title": Field(Text(), "the link text", translatable=True),
    "link": Field(SitePath(), "the page it opens, e.g. /jadwal/"),
})

REPORT_CHANNEL = Schema("report channel", {
    "name": Field(Text(), "the channel's name"),
    "url": Field(Url(), "its web address"),
    "description": Field(Text(), "what to report there", translatable=True),
    "whatsapp": Field(Text(), "WhatsApp number", required=False),
    "email": Field(Text(), "e-mail address", required=False),
    "source": Field(Slug(), "source id", required=False),
})

GUIDE = Schema("guide settings", {
    "title": Field(Text(), "the site's title", translatable=True),
    "description": Field(Text(), "one sentence describing the site", translatable=True),
    "base_url": Field(SiteAddress(), "the published address, ending in /"),
    "language": Field(Choice("id", "en"), "the default language"),
    "timezone": Field(Choice("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"), "the guide's time zone"),
    "election": Field(Record(ELECTION), "the election"),
    "nav": Field(ListOf(Record(NAV_ITEM)), "the main navigation"),
    "report_channels": Field(ListOf(Record(REPORT_CHANNEL)), "where to report hoaxes"),
    "offline": Field(ListOf(SitePath(), unique=True), "pages kept on the reader's phone for reading offline, "
                     "e.g. /cara-mencoblos/", required=False, default=()),
    "static_html": Field(ListOf(Text(), unique=True), "HTML files under static/ published as they are, e.g. "
                         "static/google1234.html: they skip the guide's checks and its Content-Security-Policy",
                         required=False, default=()),
})

STAGE = Schema("stage", {
    "id": Field(Slug(), "unique id, e.g. masa-kampanye"),
    "title": Field(Text(), "the stage's name", translatable=True),
    "start": Field(Date(), "first day"),
    "end": Field(Date(), "last day (inclusive)"),
    "description": Field(Text(), "one or two sentences for the public", translatable=True),
    "source": Field(Slug(), "source id"),
})

PARTY = Schema("party", {
    "number": Field(Integer(minimum=1, maximum=999), "ballot number (nomor urut)"),
    "abbr": Field(Text(), "short name"),
    "name": Field(Text(), "full name"),
    "scope": Field(Choice("national", "aceh"), "national, or a local party in Aceh"),
    "colour": Field(Colour(), "the party's colour", required=False),
    "source": Field(Slug(), "source id"),
})

RESULT = Schema("result", {
    "percent": Field(Number(), "share of valid votes, e.g. 24.95"),
    "source": Field(Slug(), "source id"),
})

SUPPORTER = Schema("supporting party", {
    "party": Field(Integer(minimum=1, maximum=999), "the party's ballot number"),
    "source": Field(Slug(), "source id of the party's own announcement of its support"),
})

TICKET = Schema("ticket", {
    "number": Field(Integer(minimum=1, maximum=999), "ballot number (nomor urut)"),
    "president": Field(Text(), "presidential candidate"),
    "vice_president": Field(Text(), "vice-presidential candidate"),
    "parties": Field(ListOf(Integer(minimum=1, maximum=999), unique=True),
                     "nominating parties (partai pengusung) as KPU set them, by ballot number"),
    "supporters": Field(ListOf(Record(SUPPORTER)),
                        "parties that back the ticket without nominating it (partai pendukung)",
                        required=False, default=()),
    "source": Field(Slug(), "source id"),
    "result": Field(Record(RESULT), "official result", required=False),
})

NUMBER = Schema("key number", {
    "id": Field(Slug(), "unique id"),
    "label": Field(Text(), "what is counted", translatable=True),
    "value": Field(NumberOrText(), "the figure"),
    "unit": Field(Text(), "unit shown after the figure, e.g. %", required=False, translatable=True),
    "approximate": Field(Boolean(), "shown as 'sekitar'", required=False, default=False),
    "note": Field(Text(), "one sentence of context", required=False, translatable=True),
    "featured": Field(Boolean(), "shown on the home page", required=False, default=False),
    "source": Field(Slug(), "source id"),
})

# Official results (content/results.yaml): shown only from `official_at`; `results.py` checks them.
TICKET_VOTES = Schema("ticket result", {
    "number": Field(Integer(minimum=1, maximum=999), "the ticket's ballot number (content/tickets.yaml)"),
    "votes": Field(Integer(minimum=0, maximum=MOST_VOTES), "valid votes for the ticket"),
    "percent": Field(Number(), "share of valid votes, as the source rounds it, e.g. 24.95"),
})

PARTY_VOTES = Schema("party result", {
    "number": Field(Integer(minimum=1, maximum=999), "the party's ballot number (content/parties.yaml)"),
    "votes": Field(Integer(minimum=0, maximum=MOST_VOTES), "valid votes for the party"),
    "percent": Field(Number(), "share of valid votes, as the source rounds it, e.g. 16.72"),
    "seats": Field(Integer(minimum=0), "seats won"),
})

PRESIDENTIAL_RESULT = Schema("presidential result", {
    "valid_votes": Field(Integer(minimum=1, maximum=MOST_VOTES), "all valid votes; the tickets' votes add up to it"),
    "tickets": Field(ListOf(Record(TICKET_VOTES)), "votes per ticket"),
    "source": Field(Slug(), "source id of the figures"),
})

DPR_RESULT = Schema("DPR result", {
    "valid_votes": Field(Integer(minimum=1, maximum=MOST_VOTES), "all valid votes; the parties' votes add up to it"),
    "threshold_percent": Field(Number(), "share of valid votes a party needs for seats (ambang batas), e.g. 4"),
    "seats_total": Field(Integer(minimum=1), "seats in the house; the parties' seats add up to it"),
    "parties": Field(ListOf(Record(PARTY_VOTES)), "votes and seats per party"),
    "source": Field(Slug(), "source id of the votes"),
    "seats_source": Field(Slug(), "source id of the seats"),
})

TURNOUT = Schema("turnout", {
    "race": Field(Choice("presidential", "dpr"), "which election: presidential or dpr"),
    "year": Field(Integer(minimum=1955, maximum=LAST_YEAR), "the election's year"),
    "percent": Field(Number(), "voters who voted, as a share of registered voters"),
    "source": Field(Slug(), "source id"),
})

RESULTS = Schema("results", {
    "official_at": Field(DateTime(), "when the results became official (KPU's decree); before it the guide shows "
                         "no numbers, only when they are expected"),
    "expected": Field(Date(), "when the official results are expected, shown before official_at"),
    "stage": Field(Slug(), "id of the stage in content/schedule.yaml at which they become official",
                   required=False),
    "decree": Field(Text(), "the decree that made them official, e.g. Keputusan KPU 360/2024", translatable=True),
    "source": Field(Slug(), "source id of the decree"),
    "presidential": Field(Record(PRESIDENTIAL_RESULT), "the presidential election"),
    "dpr": Field(Record(DPR_RESULT), "the DPR election"),
    "turnout": Field(ListOf(Record(TURNOUT)), "turnout per election and year", required=False, default=()),
})

# Pictures a page may show after its text (front matter `charts:`), drawn from content/results.yaml.
CHARTS = ("presidential", "dpr_seats", "dpr_votes", "turnout")

BLOCKS = ("ballots", "report_channels", "key_numbers")
LAYOUTS = ("page", "faq", "print")

CHANGE = Schema("change note", {
    "date": Field(Date(), "when the change was made"),
    "note": Field(Text(), "what changed, for readers; published on the updates page and feed",
                  translatable=True),
})

# When a page or message is shown: only in these phases, and between publish_at and expire_at.
WINDOW = {
    "phases": Field(ListOf(Choice(*PHASES), unique=True), "shown only in these phases", required=False,
                    default=()),
    "publish_at": Field(DateTime(), "shown from this moment on", required=False),
    "expire_at": Field(DateTime(), "no longer shown from this moment on", required=False),
    "draft": Field(Boolean(), "not published (shown by --drafts)", required=False, default=False),
}

MESSAGE_ACTION = Schema("call to action", {
    "title": Field(Text(), "the button text", translatable=True),
    "link": Field(Text(), "a site path such as /jadwal/ or a full https:// address"),
})

MESSAGE = Schema("message", {
    "id": Field(Slug(), "unique id, e.g. masa-tenang"),
    "title": Field(Text(), "the headline on the home page", translatable=True),
    "text": Field(Text(), "one or two sentences under the headline", translatable=True),
    "banner": Field(Text(), "a short line shown at the top of every page", required=False,
                    translatable=True),
    "actions": Field(ListOf(Record(MESSAGE_ACTION)), "buttons on the home page", required=False, default=()),
    "blocks": Field(ListOf(Choice("results"), unique=True), "data shown with the message", required=False,
                    default=()),
    "sources": Field(ListOf(Slug(), unique=True), "source ids for the message's facts", required=False,
                     default=()),
    **WINDOW,
})

PAGE = Schema("page front matter", {
    "title": Field(Text(), "the page title"),
    "summary": Field(Text(), "one sentence shown in lists and search results"),
    "order": Field(Integer(), "position in page lists"),
    "slug": Field(Slug(), "the page's address; defaults to the file name", required=False),
    "sources": Field(ListOf(Slug(), unique=True), "source ids cited on the page", required=False, default=()),
    "blocks": Field(ListOf(Choice(*BLOCKS), unique=True), "data sections shown after the text "
                    "(report_channels before it: the channels are the answer)", required=False,
                    default=()),
    "charts": Field(ListOf(Choice(*CHARTS), unique=True), "pictures with their numbers as a table, shown after "
                    "the text and blocks: presidential, dpr_seats, dpr_votes, turnout (from content/results.yaml)",
                    required=False, default=()),
    **WINDOW,
    "updated": Field(Date(), "last updated (default: the last git commit of the file)", required=False),
    "changes": Field(ListOf(Record(CHANGE)), "change notes for readers, any order", required=False, default=()),
    "layout": Field(Choice(*LAYOUTS), "page: ordinary page; faq: every ## heading is a question answered by the "
                    "text under it; print: fits one printed sheet", required=False, default="page"),
})

# A fact check's verdict, from false to true; templates name each one.
VERDICTS = ("hoaks", "salah", "menyesatkan", "sebagian-benar", "benar")

FACT_CHECK = Schema("fact-check front matter", {
    "claim": Field(Text(), "the claim as it circulated, in one sentence"),
    "verdict": Field(Choice(*VERDICTS), "hoaks (made up), salah (false), menyesatkan (misleading), "
                     "sebagian-benar (partly true) or benar (true)"),
    "summary": Field(Text(), "what is true, in one sentence; shown in lists and search results"),
    "checked": Field(Date(), "when the guide checked the claim"),
    "sources": Field(ListOf(Slug(), unique=True), "source ids that show what is true"),
    "appeared_in": Field(Text(), "where the claim circulated, e.g. WhatsApp groups", required=False),
    "appeared_on": Field(Date(), "when the claim was first seen", required=False),
    "slug": Field(Slug(), "the entry's address; defaults to the file name", required=False),
})


# A translation (x.en.md) gives these; every other field is shared with the original.
TRANSLATED_PAGE = Schema("translated page front matter",
                         {key: PAGE.fields[key] for key in ("title", "summary")})
TRANSLATED_FACT_CHECK = Schema("translated fact-check front matter",
                               {key: FACT_CHECK.fields[key] for key in ("claim", "summary", "appeared_in")})
