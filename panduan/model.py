"""Model: turn validated sources into the `Guide`, checking what spans files.

The objects here are what the rest of the engine and the templates work with:
immutable, typed, with every cross-reference resolved (a ticket holds its
`Party` objects, a stage its `Citation`). Problems found while resolving
(unknown source ids, duplicate ballot numbers, a stage ending before it
starts) go to the report with the line of the offending value. Translatable
fields (see `schema`) hold `i18n.Localized` values, and a page holds its
translations, until `i18n.localize` makes one plain-text Guide per language.
There is one reader per kind of content file (`read_pages(reading)`...), which
the registry in content.py names and runs (`content.Reading` is what they share).
"""
from __future__ import annotations

import datetime as dt
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from . import schema
from .results import Results, read_results as results_of
from .i18n import LANGUAGES, language_name
from .load import PAGES_DIR, SourceTree, YamlMap
from .problems import Report, did_you_mean, excerpt


@dataclass(frozen=True)
class Citation:
    id: str
    title: str
    publisher: str
    url: str | None
    date: dt.date | None
    # the document's name after the publisher in a link to it ("Sumber: KPU, PKPU 3/2022"): its
    # `short`, else, when another source has the same publisher, its title, so that links to two
    # of a publisher's documents never read the same
    document_name: str | None = None

    @property
    def publisher_short(self) -> str:
        """The abbreviation a publisher's name ends with in brackets ("Komisi Pemilihan Umum (KPU)":
        KPU), else the whole name: the full name is on the sources page."""
        found = re.fullmatch(r".+ \(([^\s()]+)\)", self.publisher)
        return found.group(1) if found else self.publisher


@dataclass(frozen=True)
class Ballot:
    race: str
    colour_name: str
    colour: str


@dataclass(frozen=True)
class PhaseStart:
    phase: str              # one of schema.PHASES
    stage_id: str           # resolved against the schedule by `phases`
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Election:
    name: str
    voting_day: dt.date
    voting_hours: str
    source: Citation
    ballots: tuple[Ballot, ...]
    ballots_source: Citation
    phase_starts: tuple[PhaseStart, ...] = ()


@dataclass(frozen=True)
class NavItem:
    title: str
    link: str
    line: int = field(default=0, compare=False)   # in guide.yaml, for problems


@dataclass(frozen=True)
class ReportChannel:
    name: str
    url: str
    description: str
    whatsapp: str | None
    email: str | None
    source: Citation | None


@dataclass(frozen=True)
class Config:
    title: str
    description: str
    base_url: str
    language: str
    timezone: str
    election: Election
    nav: tuple[NavItem, ...]
    report_channels: tuple[ReportChannel, ...]
    offline: tuple[NavItem, ...] = ()    # pages the service worker keeps (title empty)
    static_html: tuple[tuple[str, int], ...] = ()   # HTML files under static/ allowed as they are, and their line


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    start: dt.date
    end: dt.date
    description: str
    source: Citation


@dataclass(frozen=True)
class Party:
    number: int
    abbr: str
    name: str
    scope: str
    colour: str | None
    source: Citation


@dataclass(frozen=True)
class Result:
    percent: float
    source: Citation


@dataclass(frozen=True)
class Supporter:
    """A party that backs a ticket without formally nominating it (partai pendukung)."""
    party: Party
    source: Citation


@dataclass(frozen=True)
class Ticket:
    number: int
    president: str
    vice_president: str
    parties: tuple[Party, ...]              # nominating parties (pengusung), as KPU set them
    supporters: tuple[Supporter, ...]       # supporting parties (pendukung), each with its own source
    source: Citation
    result: Result | None


@dataclass(frozen=True)
class KeyNumber:
    id: str
    label: str
    value: int | float | str
    unit: str | None
    approximate: bool
    note: str | None
    featured: bool
    source: Citation


@dataclass(frozen=True)
class Window:
    """When a page or message is shown (see `phases.hidden_because`)."""
    phases: tuple[str, ...] = ()          # empty: every phase
    publish_at: dt.datetime | None = None  # in the guide's time zone
    expire_at: dt.datetime | None = None
    draft: bool = False
    line: int = field(default=0, compare=False)   # of `phases:`, for problems


@dataclass(frozen=True)
class Change:
    date: dt.date
    note: str


class _Translated:
    """A Markdown source in one language that may have translations (x.en.md beside x.md)."""

    def translation(self, lang: str):
        return next((version for version in self.translations if version.lang == lang), None)

    def in_language(self, lang: str):
        """This source as read in `lang`: its translation, or itself when there is none."""
        return self if lang == self.lang else self.translation(lang) or self


@dataclass(frozen=True)
class Page(_Translated):
    path: str               # the Markdown source, e.g. content/pages/faq.md
    slug: str
    title: str
    summary: str
    order: int
    sources: tuple[Citation, ...]
    blocks: tuple[str, ...]
    body_line: int          # where the Markdown body starts in `path` (prose.py reads and converts it)
    window: Window = Window()
    updated: dt.date | None = None
    changes: tuple[Change, ...] = ()      # newest first
    lang: str = ""          # the language it is written in
    translations: tuple["Page", ...] = ()   # the same page in other languages (x.en.md)
    layout: str = "page"    # page, faq or print (schema.LAYOUTS)
    charts: tuple[str, ...] = ()   # schema.CHARTS, drawn from the guide's results


@dataclass(frozen=True)
class FactCheck(_Translated):
    path: str               # the Markdown source, e.g. content/hoaxes/golput-dipenjara.md
    slug: str
    claim: str
    verdict: str            # one of schema.VERDICTS
    summary: str
    checked: dt.date
    sources: tuple[Citation, ...]
    appeared_in: str | None
    appeared_on: dt.date | None
    body_line: int          # where the explanation (Markdown, read by prose.py) starts in `path`
    lang: str = ""          # the language it is written in
    translations: tuple["FactCheck", ...] = ()   # the same entry in other languages (x.en.md)

    @property
    def updated(self) -> dt.date:
        """A fact check was last updated when it was last checked."""
        return self.checked


@dataclass(frozen=True)
class Action:
    title: str
    link: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Message:
    """A home-page message (and optional banner) for some phases, from content/messages.yaml."""
    id: str
    title: str
    text: str
    banner: str | None
    actions: tuple[Action, ...]
    blocks: tuple[str, ...]
    sources: tuple[Citation, ...]
    window: Window


@dataclass(frozen=True)
class Guide:
    config: Config
    sources: tuple[Citation, ...]
    stages: tuple[Stage, ...]
    parties: tuple[Party, ...]
    tickets: tuple[Ticket, ...]
    numbers: tuple[KeyNumber, ...]
    pages: tuple[Page, ...]
    fact_checks: tuple[FactCheck, ...]
    # where each source id is cited: id -> sorted tuple of (path, line)
    citations: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    messages: tuple[Message, ...] = ()
    results: Results | None = None   # content/results.yaml, when there is one


class Citer:
    """Resolves source ids for one build and remembers where each is cited."""

    def __init__(self, sources: dict[str, Citation], named: set[str] | None, report: Report):
        # `named`: ids written in sources.yaml, even in records with other problems;
        # None when the file could not be read (its problem is reported already)
        self.sources, self.named, self.report = sources, named, report
        self.cited: dict[str, set[tuple[str, int]]] = {}

    def __call__(self, source_id, path: str, where: tuple[int, int]) -> Citation | None:
        if source_id is None:
            return None
        citation = self.sources.get(source_id)
        if citation is None and (self.named is None or source_id in self.named):
            return None
        if citation is None:
            self.report.add(path, *where, f"source '{source_id}' is not in content/sources.yaml",
                            did_you_mean(source_id, self.sources) or "add it to content/sources.yaml")
            return None
        self.cited.setdefault(source_id, set()).add((path, where[0]))
        return citation


def _unique(items: list[YamlMap], key: str, path: str, report: Report, what: str) -> list[YamlMap]:
    """Report repeated values of `key`; keep the first of each."""
    seen: dict = {}
    kept = []
    for item in items:
        value = item.get(key)
        if value is None:
            continue
        if value in seen:
            report.add(path, *item.value_where(key),
                       f"{what} {value} is used twice (also line {seen[value]})", f"give each {what} its own value")
            continue
        seen[value] = item.value_where(key)[0]
        kept.append(item)
    return kept


_complete = schema.complete


def _data(tree: SourceTree, path: str):
    source = tree.get(path)
    return source.data if source is not None and source.ok else None


def read_results(reading: Reading) -> Results | None:
    found = reading.found
    return results_of(_data(reading.tree, "content/results.yaml"), reading.report, reading.cite, reading.zone,
                      {p.number: p for p in found["parties"]}, {t.number: t for t in found["tickets"]},
                      {s.id for s in found["stages"]})


def read_sources(reading: Reading) -> tuple[Citation, ...]:
    """content/sources.yaml; makes the build's citer."""
    tree, report, path = reading.tree, reading.report, "content/sources.yaml"
    data = _data(tree, path)
    items = schema.read_list(data, "sources", schema.SOURCE, path, report)
    found, lines = {}, {}
    complete = [item for item in _unique(items, "id", path, report, "source id") if _complete(item, schema.SOURCE)]
    publishers = Counter(item["publisher"] for item in complete)
    for item in complete:
        found[item["id"]] = Citation(item["id"], item["title"], item["publisher"], item["url"], item["date"],
                                     item["short"] or (item["title"] if publishers[item["publisher"]] > 1 else None))
        lines[item["id"]] = item.where()
    named = {item["id"] for item in items if item.get("id")} if data is not None else None
    reading.cite, reading.source_lines = Citer(dict(sorted(found.items())), named, report), lines
    return tuple(reading.cite.sources.values())


def read_config(reading: Reading) -> Config | None:
    tree, report, cite = reading.tree, reading.report, reading.cite
    path = "guide.yaml"
    data = _data(tree, path)
    if data is None:
        return None
    item = schema.validate(data, schema.GUIDE, path, report, (1, 1))
    if not _complete(item, schema.GUIDE) or not _complete(item["election"], schema.ELECTION):
        return None
    election = item["election"]
    config_election = Election(
        election["name"], election["voting_day"], election["voting_hours"],
        cite(election["source"], path, election.value_where("source")),
        tuple(Ballot(b["race"], b["colour_name"], b["colour"]) for b in election["ballots"] if _complete(b, schema.BALLOT)),
        cite(election["ballots_source"], path, election.value_where("ballots_source")),
        tuple(PhaseStart(phase, stage_id, election["phases"].value_where(phase)[0])
              for phase, stage_id in (election["phases"] or {}).items() if stage_id is not None))
    nav = tuple(NavItem(n["title"], n["link"], n.value_where("link")[0]) for n in item["nav"] if _complete(n, schema.NAV_ITEM))
    channels = tuple(
        ReportChannel(c["name"], c["url"], c["description"], c["whatsapp"], c["email"],
                      cite(c["source"], path, c.value_where("source")))
        for c in item["report_channels"] if _complete(c, schema.REPORT_CHANNEL))
    offline = tuple(NavItem("", link, item["offline"].where(index)[0]) for index, link in enumerate(item["offline"]))
    static_html = tuple((path, item["static_html"].where(index)[0]) for index, path in enumerate(item["static_html"]))
    return Config(item["title"], item["description"], item["base_url"], item["language"], item["timezone"],
                  config_election, nav, channels, offline, static_html)


def read_stages(reading: Reading) -> tuple[Stage, ...]:
    tree, report, cite = reading.tree, reading.report, reading.cite
    path = "content/schedule.yaml"
    stages = []
    for item in _unique(schema.read_list(_data(tree, path), "stages", schema.STAGE, path, report),
                        "id", path, report, "stage id"):
        if not _complete(item, schema.STAGE):
            continue
        if item["end"] < item["start"]:
            report.add(path, *item.value_where("end"),
                       f"stage '{item['id']}' ends ({item['end']}) before it starts ({item['start']})",
                       "check the dates; for a one-day stage make end equal to start")
            continue
        stages.append(Stage(item["id"], item["title"], item["start"], item["end"], item["description"],
                            cite(item["source"], path, item.value_where("source"))))
    return tuple(sorted(stages, key=lambda s: (s.start, s.end, s.id)))


def read_parties(reading: Reading) -> tuple[Party, ...]:
    tree, report, cite, path = reading.tree, reading.report, reading.cite, "content/parties.yaml"
    data = _data(tree, path)
    items = schema.read_list(data, "parties", schema.PARTY, path, report)
    parties = []
    for item in _unique(items, "number", path, report, "ballot number"):
        if _complete(item, schema.PARTY):
            parties.append(Party(item["number"], item["abbr"], item["name"], item["scope"], item["colour"],
                                 cite(item["source"], path, item.value_where("source"))))
    # numbers written in parties.yaml, even in records with other problems (None: file unreadable)
    reading.party_numbers = {item["number"] for item in items if item.get("number") is not None} \
        if data is not None else None
    return tuple(sorted(parties, key=lambda p: p.number))


def read_tickets(reading: Reading) -> tuple[Ticket, ...]:
    tree, report, cite = reading.tree, reading.report, reading.cite
    parties, named = reading.found["parties"], reading.party_numbers
    path = "content/tickets.yaml"
    by_number = {party.number: party for party in parties}
    supporting: dict[int, int] = {}

    def party(number: int, where, ticket: int) -> Party | None:
        """The party with this ballot number, once across all tickets (nominating or supporting)."""
        if number not in by_number:
            if named is not None and number not in named:
                report.add(path, *where, f"ticket {ticket} names party {number}, "
                           "which is not in content/parties.yaml", "use the party's ballot number")
            return None
        if number in supporting:
            report.add(path, *where, f"party {number} supports ticket {supporting[number]} and "
                       f"ticket {ticket}", "a party supports one ticket only")
            return None
        supporting[number] = ticket
        return by_number[number]

    tickets = []
    for item in _unique(schema.read_list(_data(tree, path), "tickets", schema.TICKET, path, report),
                        "number", path, report, "ballot number"):
        if not _complete(item, schema.TICKET):
            continue
        members = [found for index, number in enumerate(item["parties"])
                   if (found := party(number, item["parties"].where(index), item["number"])) is not None]
        supporters = []
        for supporter in item["supporters"]:
            if not _complete(supporter, schema.SUPPORTER):
                continue
            source = cite(supporter["source"], path, supporter.value_where("source"))
            found = party(supporter["party"], supporter.value_where("party"), item["number"])
            if found is not None:
                supporters.append(Supporter(found, source))
        result = item["result"]
        tickets.append(Ticket(
            item["number"], item["president"], item["vice_president"], tuple(members), tuple(supporters),
            cite(item["source"], path, item.value_where("source")),
            Result(result["percent"], cite(result["source"], path, result.value_where("source")))
            if _complete(result, schema.RESULT) else None))
    return tuple(sorted(tickets, key=lambda t: t.number))


def read_numbers(reading: Reading) -> tuple[KeyNumber, ...]:
    tree, report, cite = reading.tree, reading.report, reading.cite
    path = "content/numbers.yaml"
    numbers = []
    for item in _unique(schema.read_list(_data(tree, path), "numbers", schema.NUMBER, path, report),
                        "id", path, report, "number id"):
        if _complete(item, schema.NUMBER):
            numbers.append(KeyNumber(item["id"], item["label"], item["value"], item["unit"], item["approximate"],
                                     item["note"], item["featured"],
                                     cite(item["source"], path, item.value_where("source"))))
    return tuple(numbers)


def _window(item: YamlMap, path: str, zone: ZoneInfo, report: Report) -> Window:
    """The record's window, its times in the guide's zone; reports an end before the start."""
    def local(key):
        moment = item[key]
        if moment is None:
            return None
        return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    publish_at, expire_at = local("publish_at"), local("expire_at")
    if publish_at is not None and expire_at is not None and expire_at <= publish_at:
        report.add(path, *item.value_where("expire_at"),
                   f"expire_at ({expire_at.isoformat()}) is not after publish_at ({publish_at.isoformat()})",
                   "a page is shown from publish_at until expire_at; check both")
    return Window(tuple(item["phases"]), publish_at, expire_at, item["draft"], item.value_where("phases")[0])


def read_messages(reading: Reading) -> tuple[Message, ...]:
    tree, report, cite, zone = reading.tree, reading.report, reading.cite, reading.zone
    path = "content/messages.yaml"
    messages = []
    for item in _unique(schema.read_list(_data(tree, path), "messages", schema.MESSAGE, path, report),
                        "id", path, report, "message id"):
        if not _complete(item, schema.MESSAGE):
            continue
        actions = tuple(Action(a["title"], a["link"], a.value_where("link")[0])
                        for a in item["actions"] if _complete(a, schema.MESSAGE_ACTION))
        citations = _citations(item["sources"], path, cite)
        messages.append(Message(item["id"], item["title"], item["text"], item["banner"], actions,
                                tuple(item["blocks"]), citations, _window(item, path, zone, report)))
    return tuple(messages)


def _markdown(tree: SourceTree, folder: str):
    """The readable Markdown files of `folder`: (originals, translations as (path, source, original, lang))."""
    originals, translated = [], []
    for path, source in sorted(tree.files.items()):
        if not path.startswith(folder) or not path.endswith(".md") or not source.ok:
            continue
        original, lang = _translation_of(path)
        if lang is None:
            originals.append((path, source))
        else:
            translated.append((path, source, original, lang))
    return originals, translated


def read_pages(reading: Reading) -> tuple[Page, ...]:
    tree, report, cite, zone, default = reading.tree, reading.report, reading.cite, reading.zone, reading.default
    pages = []
    originals, translated = _markdown(tree, PAGES_DIR + "/")
    for path, source in originals:
        item = schema.validate(source.data, schema.PAGE, path, report, (1, 1))
        if not _complete(item, schema.PAGE):
            continue
        slug = _slug(item, path, report)
        if slug is None:
            continue
        citations = _citations(item["sources"], path, cite)
        changes = tuple(sorted((Change(c["date"], c["note"]) for c in item["changes"] if _complete(c, schema.CHANGE)),
                               key=lambda c: c.date, reverse=True))
        if item["charts"] and "content/results.yaml" not in tree.files:
            report.add(path, *item.value_where("charts"), f"charts {', '.join(item['charts'])} need "
                       "content/results.yaml, which does not exist",
                       "create content/results.yaml (see README.md), or remove 'charts:'")
        pages.append(Page(path, slug, item["title"], item["summary"], item["order"], citations,
                          tuple(item["blocks"]), source.body_line,
                          _window(item, path, zone, report), item["updated"], changes, default,
                          layout=item["layout"], charts=tuple(item["charts"])))

    def translate(page: Page, item: YamlMap, source, path: str, lang: str) -> Page:
        return dataclasses.replace(page, path=path, title=item["title"], summary=item["summary"],
                                   body_line=source.body_line, lang=lang)

    pages = _with_translations(pages, translated, tree, default, report, "page", schema.PAGE,
                               schema.TRANSLATED_PAGE, translate)
    return tuple(sorted(pages, key=lambda p: (p.order, p.slug)))


def _with_translations(originals: list, translated: list, tree: SourceTree, default: str, report: Report,
                       what: str, full: schema.Schema, own: schema.Schema, translate) -> list:
    """The originals with their translations (x.en.md) attached. A translation gives only the
    fields of `own`; the others of `full` are shared with the original and set there only.
    `translate(original, item, source, path, lang)` makes the translated version (None: unusable)."""
    by_path = {original.path: original for original in originals}
    found: dict[str, list] = {}
    for path, source, original, lang in translated:
        if lang == default:
            report.add(path, 0, 0, f"{original} is already in {language_name(lang)}, the guide's language",
                       f"write the {language_name(lang)} text in {original}")
            continue
        if original not in by_path and original in tree.files:
            continue   # the original has problems of its own, reported there
        if original not in by_path:
            report.add(path, 0, 0, f"is the {language_name(lang)} translation of {original}, which does not exist",
                       f"create {original} in {language_name(default)} first, or rename this file")
            continue
        data = source.data
        if isinstance(data, YamlMap):
            data = data.copied()   # parsed files are never changed (cache.py keeps them)
            for key in sorted(k for k in data if k in full.fields and k not in own.fields):
                report.add(path, *data.where(key), f"'{key}' is shared by every language of the {what}",
                           f"set it in {original}, and remove it here")
                del data[key]
        item = schema.validate(data, own, path, report, (1, 1))
        if item is not None and _complete(item, own):
            made = translate(by_path[original], item, source, path, lang)
            if made is not None:
                found.setdefault(original, []).append(made)
    return [dataclasses.replace(o, translations=tuple(found.get(o.path, ()))) for o in originals]


def _slug(item: YamlMap, path: str, report: Report) -> str | None:
    """A Markdown file's address: its `slug:`, else its file name; None (reported) if unusable."""
    slug = item["slug"] or PurePosixPath(path).stem
    if not schema.SLUG.match(slug) or len(slug) > schema.SLUG_LENGTH:
        report.add(path, 0, 0, f"the file name gives the address '{excerpt(slug)}', which is not a valid slug",
                   f"rename the file using at most {schema.SLUG_LENGTH} lowercase letters, digits and hyphens, "
                   "or set 'slug:'")
        return None
    return slug


def _citations(source_ids, path: str, cite: Citer) -> tuple[Citation, ...]:
    """The sources a file lists, resolved (`cite` reports unknown ids)."""
    return tuple(c for index, source_id in enumerate(source_ids)
                 if (c := cite(source_id, path, source_ids.where(index))) is not None)


def _translation_of(path: str) -> tuple[str, str | None]:
    """content/pages/x.en.md -> (content/pages/x.md, "en"); an original -> (path, None)."""
    stem, _, lang = path.removesuffix(".md").rpartition(".")
    if stem and lang in LANGUAGES and "/" not in lang:
        return stem + ".md", lang
    return path, None


def read_fact_checks(reading: Reading) -> tuple[FactCheck, ...]:
    """Fact checks, newest check first."""
    tree, report, cite, default = reading.tree, reading.report, reading.cite, reading.default
    checks = []
    originals, translated = _markdown(tree, "content/hoaxes/")
    for path, source in originals:
        item = schema.validate(source.data, schema.FACT_CHECK, path, report, (1, 1))
        if not _complete(item, schema.FACT_CHECK):
            continue
        slug = _slug(item, path, report)
        if slug is None:
            continue
        if not item["sources"]:
            report.add(path, *item.value_where("sources"), "a fact check needs at least one source",
                       "list the ids of the sources that show what is true, e.g. sources: [pkpu-3-2022]")
            continue
        _explained(source, path, report)
        citations = _citations(item["sources"], path, cite)
        checks.append(FactCheck(path, slug, item["claim"], item["verdict"], item["summary"], item["checked"],
                                citations, item["appeared_in"], item["appeared_on"], source.body_line,
                                default))

    def translate(check: FactCheck, item: YamlMap, source, path: str, lang: str) -> FactCheck | None:
        # where the claim appeared is a fact from a source: the original says whether it is known
        if check.appeared_in is not None and item["appeared_in"] is None:
            report.add(path, *item.where(), f"fact-check translation is missing 'appeared_in', which {check.path} sets",
                       f"add a line 'appeared_in: ...': where the claim appeared, in {language_name(lang)}")
            return None
        if check.appeared_in is None and item["appeared_in"] is not None:
            report.add(path, *item.where("appeared_in"), f"'appeared_in' is not set in {check.path}",
                       "where a claim appeared comes from a source: set it there first, or remove it here")
            return None
        _explained(source, path, report)
        return dataclasses.replace(check, path=path, claim=item["claim"], summary=item["summary"],
                                   appeared_in=item["appeared_in"], body_line=source.body_line,
                                   lang=lang)

    checks = _with_translations(checks, translated, tree, default, report, "fact check", schema.FACT_CHECK,
                                schema.TRANSLATED_FACT_CHECK, translate)
    return tuple(sorted(checks, key=lambda c: (-c.checked.toordinal(), c.slug)))


def _explained(source, path: str, report: Report) -> None:
    if source.blank:
        report.add(path, source.body_line, 0, "the fact check has no explanation",
                   "after the front matter, explain in a few sentences what is true and why")
