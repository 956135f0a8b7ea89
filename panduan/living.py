"""The living-document parts of one build, gathered for the renderer.

`phases` says where "now" falls and what is shown; `history` says when each
output last changed and which change notes are public; `ical` makes the
calendar files. This module joins them for one build: the names templates
see in each language (`clock`, `last_updated()`, `updates`, ...), the files
made in code (each language's calendars, the one /next-change.json), and the
check that every call to action of a message shown now leads somewhere.

The updates page, its Atom feed and the calendars exist in every language
(/pembaruan/, /en/pembaruan/, ...); the sitemap is one file listing every
page in every language it is written in, with its translations as hreflang
alternates.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.numbers import get_decimal_symbol

from . import urls
from .charts import PhaseMark, ResultsView, phase_timeline, results_view
from .history import History, Update, updates
from .i18n import CATALOGUE_DIR, Catalogues
from .ical import calendar_files
from .model import Guide
from .phases import Clock
from .plan import NUMBERS, OFFLINE_PAGE, RESULTS_IMAGE, SCHEDULE, SOURCES, TICKETS, Output, Plan
from .problems import Report
from .share_png import presidential_png

MESSAGES = "content/messages.yaml"
NEXT_CHANGE = "next-change.json"


def check_message_links(guide: Guide, plan: Plan, hidden: dict[str, str], report: Report) -> None:
    known = plan.urls() | plan.static_urls()
    for message in guide.messages:
        for action in message.actions:
            link = action.link
            if link.startswith(("https://", "http://")):
                continue
            if not link.startswith("/"):
                report.add(MESSAGES, action.line, 0, f"message '{message.id}': link '{link}' cannot be followed",
                           "write a site path such as /jadwal/ or a full address starting with https://")
            elif link.partition("#")[0] in hidden:
                report.add(MESSAGES, action.line, 0, f"message '{message.id}' links to {link}, which is not built "
                           f"now: {hidden[link.partition('#')[0]]}", "link elsewhere, or show the message only "
                           "when the page is published (phases, publish_at, expire_at)")
            elif link.partition("#")[0] not in known:
                report.add(MESSAGES, action.line, 0, f"message '{message.id}' links to {link}, which does not exist",
                           "use the address of a page, e.g. /jadwal/ or /cara-mencoblos/")


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: dt.date | None
    alternates: tuple[tuple[str, str], ...]   # (language, absolute address) of every translation, itself
                                              # too; none for a page in one language only


@dataclass(frozen=True)
class LivingNames:
    """What the living document gives the templates of one language; `Renderer.context` names
    each field for the templates. Values that read git dates are functions, called while a
    template renders, so the cache sees which output read which dates (cache.py)."""

    clock: Clock
    last_updated: Callable[[Output], dt.date | None]
    updates: tuple[Update, ...]
    sitemap: Callable[[], tuple[SitemapEntry, ...]]   # in the default language only (the site's one sitemap)
    feed_updated: Callable[[], dt.date]
    day_start: Callable[[dt.date], str]
    results: ResultsView | None
    phase_timeline: tuple[PhaseMark, ...]


class Living:
    """The living-document parts of one build, in every language."""

    def __init__(self, guides: dict[str, Guide], catalogues: Catalogues, clock: Clock, plan: Plan,
                 dates: dict[str, dt.date], per_model=lambda name, make: make()):
        """`per_model(name, make)`: `make()`, or what it gave for the same model before (cache.Memo)."""
        self.guides, self.catalogues, self.clock, self.plan = guides, catalogues, clock, plan
        self.default = catalogues.default
        self.config = guides[self.default].config
        self.zone = ZoneInfo(self.config.timezone)
        self.history = History(dates)   # history.AskedGit.dates
        today = clock.now.astimezone(self.zone).date()
        self.updates = per_model(f"updates on {today}",
                                 lambda: {lang: updates(guide, today) for lang, guide in guides.items()})
        # a translation's page also reads its original's shared fields (dates, sources, blocks)
        self.originals = per_model("originals", lambda: {t.path: p.path for p in guides[self.default].pages
                                                         for t in p.translations})

    def last_updated(self, output: Output) -> dt.date | None:
        """The date shown as "last updated" (None: unknown, shown as nothing)."""
        if output.page is not None:
            path = output.page.path
            return self.history.updated(tuple(sorted({path, self.originals.get(path, path)})), output.page, None)
        if output.key == "/pembaruan/":
            found = self.updates[output.lang]
            return found[0].date if found else None
        # interface text (i18n/) is not what readers mean by an update of the page
        inputs = {"/": (SCHEDULE, NUMBERS, TICKETS, MESSAGES), "/sumber/": (SOURCES,)}.get(output.key) or tuple(
            i for i in output.inputs if i not in ("*", SOURCES) and not i.startswith(CATALOGUE_DIR + "/"))
        since = self.clock.schedule_since if output.key == "/jadwal/" else self.clock.since
        since = since.astimezone(self.zone).date() if since and output.uses_now else None
        return self.history.updated(inputs, None, since)

    def text(self, lang: str, key: str, **values) -> str:
        """Interface text as plain text, for files that are not HTML."""
        return self.catalogues.plain(lang, key, **values)

    def day_start(self, day: dt.date) -> str:
        return dt.datetime.combine(day, dt.time(), tzinfo=self.zone).isoformat()

    def absolute(self, lang: str):
        """A site path as a full address, to its version in `lang` when it has one."""
        return lambda path: urls.absolute(self.config.base_url, self.plan.localize(path, lang))

    def sitemap(self) -> tuple[SitemapEntry, ...]:
        """Every HTML page in every language it is written in, each with its translations
        (hreflang) when it has any. A page shown untranslated is left out: its canonical
        address is the original's (`Plan.canonical`)."""
        pages = [o for o in self.plan.outputs if o.file.endswith(".html") and o.key not in ("/404.html", OFFLINE_PAGE)
                 and o.translated]
        return tuple(SitemapEntry(
            urls.absolute(self.config.base_url, o.url), self.last_updated(o),
            tuple((v.lang, urls.absolute(self.config.base_url, v.url)) for v in self.plan.translations(o)))
            for o in pages)

    def contexts(self) -> dict[str, LivingNames]:
        """Per language, the names its templates see besides the renderer's own."""
        return {lang: self.context(lang) for lang in self.guides}

    def feed_updated(self, lang: str) -> dt.date:
        """When the feed in `lang` last changed: its newest change note, else its newest page."""
        found = self.updates[lang]
        return found[0].date if found else max(
            filter(None, (self.last_updated(o) for o in self.plan.outputs if o.lang == lang)),
            default=self.config.election.voting_day)

    def context(self, lang: str) -> LivingNames:
        return LivingNames(
            clock=self.clock,
            last_updated=self.last_updated,
            updates=self.updates[lang],
            sitemap=self.sitemap if lang == self.default else tuple,
            feed_updated=functools.partial(self.feed_updated, lang),
            day_start=self.day_start,
            results=results_view(self.guides[lang].results, self.guides[lang], self.clock.now),
            phase_timeline=phase_timeline(self.guides[lang], self.clock.phase.id),
        )

    def files_read(self) -> tuple:
        """What `files` reads besides the model: the schedule's git date and the stretch of time."""
        return self.history.last_commit.get(SCHEDULE), self.clock.report()

    def files(self) -> dict[str, bytes]:
        """The files made in code: each language's calendars, and the one next-change report."""
        made = {}
        planned = {output.file for output in self.plan.outputs}
        for lang, guide in self.guides.items():
            calendars = calendar_files(guide, self.history.last_commit_of(SCHEDULE),
                                       functools.partial(self.text, lang), self.absolute(lang)("/jadwal/"), lang)
            made.update({urls.file_for(self.plan.localize("/" + name, lang)): data for name, data in calendars.items()})
            if urls.file_for(self.plan.localize(RESULTS_IMAGE, lang)) in planned:
                bars = [(row.number, row.percent) for row in guide.results.tickets]
                made[urls.file_for(self.plan.localize(RESULTS_IMAGE, lang))] = presidential_png(
                    bars, get_decimal_symbol(lang))
        made[NEXT_CHANGE] = self.clock.report()
        return made
