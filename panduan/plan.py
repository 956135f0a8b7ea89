"""Plan: the list of files the site consists of, and what each one reads.

Every `Output` names its URL, its language, its address in the default
language (`key`, shared by every translation of one page), the template that
renders it (none: made in code, see `living`), the view it gets and the source
files it depends on (plus whether it depends on "now"). Files
under static/ are planned too, so two things can never write one file:
a clash is a content problem, reported before anything is written.
"""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import urls
from .i18n import LANGUAGES, Catalogues, catalogue_path, language_name, prefix
from .model import FactCheck, Guide, Page
from .problems import Report, excerpt
from .sourcefiles import SourceRefused

if TYPE_CHECKING:
    from .snapshot import Snapshot

SETTINGS = "guide.yaml"
SOURCES = "content/sources.yaml"
SCHEDULE = "content/schedule.yaml"
PARTIES = "content/parties.yaml"
TICKETS = "content/tickets.yaml"
NUMBERS = "content/numbers.yaml"
RESULTS = "content/results.yaml"
TITLE_KEYS = ("title.schedule", "title.parties", "title.tickets", "title.sources", "title.not_found",
              "title.updates", "title.calendar", "title.voting_day_calendar", "title.fact_checks", "title.search", "copy.offline_title")
# made once, in the default language, for the whole site: they are for machines, not readers
SITE_FILES = ("/sitemap.xml", "/robots.txt", "/next-change.json")
BLOCK_INPUTS = {"ballots": (), "report_channels": (), "key_numbers": (NUMBERS,)}
MANIFEST = "/manifest.webmanifest"  # the web app manifest, in each language ("add to home screen")
RESULTS_IMAGE = "/bagikan-hasil.png"   # the share image of a page showing the presidential results
OFFLINE_PAGE = "/luring.html"     # what the service worker answers for a page it never kept, offline
SERVICE_WORKER = "/sw.js"         # written by `offline`; at the root so its scope is the whole site
SEARCH_INDEX = "/pagefind/"       # written by `search` after the pages
FINGERPRINTED = ("css/", "js/")   # static folders whose files get a content hash in their name
STATIC_FOLDERS = ("/css/", "/js/", "/img/")   # the site's own files: no page may take their address
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")   # static pages: published unchecked only if allowed
PREVIEW = "/__panduan/"           # the preview server's own addresses (serve.py)


@dataclass(frozen=True)
class Output:
    url: str
    template: str
    title: str
    inputs: tuple[str, ...]        # source files read, besides guide.yaml, the page list and
                                   # content/messages.yaml (every page shows the phase's banners,
                                   # so every page also follows the phase)
    uses_now: bool = False         # its main content follows the clock (days, stage statuses)
    page: Page | FactCheck | None = None   # the Markdown source rendered, if any
    rooted_links: bool = False     # served at any address (404): link from the site's root
    lang: str = "id"               # the language it is written in
    key: str = ""                  # its address in the default language: the same page in every language

    @functools.cached_property
    def file(self) -> str:
        return urls.file_for(self.url)

    @property
    def translated(self) -> bool:
        """Written in its language: false for a Markdown source shown untranslated (its text in
        another language, around it this language's interface), which is no alternate for readers
        or search engines of that language."""
        return self.page is None or self.page.lang == self.lang


@dataclass(frozen=True)
class StaticFile:
    url: str
    source: str    # its path in the guide (static/...)
    data: bytes    # as the build read it (snapshot.py): what is published, digested and copied


@dataclass(frozen=True)
class Plan:
    outputs: tuple[Output, ...]
    static: tuple[StaticFile, ...]
    assets: dict[str, str] = field(default_factory=dict)   # /css/site.css -> /css/site.<hash>.css

    def urls(self) -> frozenset[str]:
        return frozenset(o.url for o in self.outputs)

    def localize(self, url: str, lang: str) -> str:
        """The address in `lang` of the page at `url` (a default-language address); others unchanged."""
        path, hash_, fragment = url.partition("#")
        found = self._by_key.get(path, {}).get(lang)
        return found.url + hash_ + fragment if found else url

    def address(self, content: Page | FactCheck) -> str | None:
        """The site path of a page or fact check (its default-language address, as `localize`
        takes it; the same for each of its translations); None if it has no page."""
        return self._addresses.get(content.path)

    @functools.cached_property
    def _addresses(self) -> dict[str, str]:
        return {output.page.path: output.key for output in self.outputs if output.page is not None}

    def versions(self, output: Output) -> tuple[Output, ...]:
        """The same page in every language, default language first."""
        return tuple(self._by_key[output.key].values())

    def translations(self, output: Output) -> tuple[Output, ...]:
        """The versions search engines are told about (hreflang): the page in every language it
        is written in, itself among them; none if that is one language, or if it is shown untranslated."""
        found = tuple(version for version in self.versions(output) if version.translated)
        return found if output.translated and len(found) > 1 else ()

    def canonical(self, output: Output) -> Output:
        """The version search engines should index: for a page shown untranslated, the one
        in the language it is written in."""
        if output.translated:
            return output
        return next((v for v in self.versions(output) if v.lang == output.page.lang), output)

    @functools.cached_property
    def _by_key(self) -> dict[str, dict[str, Output]]:
        index: dict[str, dict[str, Output]] = {}
        for output in self.outputs:
            index.setdefault(output.key, {})[output.lang] = output
        return index

    def static_urls(self) -> frozenset[str]:
        return frozenset(s.url for s in self.static)


@dataclass
class Planning:
    """What the planners of one language share (content.py names one per kind of content file)."""
    guide: Guide
    lang: str
    root: str                     # the language's folder: "" or "/en"
    catalogues: Catalogues
    reserved: dict[str, str]      # folders of the engine, and who owns each
    claimed: dict[str, str]       # URL -> what takes it, so far
    report: Report

    @property
    def catalogue(self) -> tuple[str, ...]:
        """The language's interface text: an input of every output."""
        return (catalogue_path(self.lang),)


def plan_site(guides: dict[str, Guide], catalogues: Catalogues, snapshot: Snapshot, report: Report,
              official: bool = False, files=()) -> Plan:
    """Decide every output file, for every language; report two outputs writing one file.

    `guides` holds the guide as read in each language, the default language first; `official`:
    the results are official now (their share image exists); `files`: the content files
    (content.FILES), whose planners add the outputs of their records (pages, fact checks...);
    `snapshot`: the guide's files, of which those under static/ are published as they are."""
    outputs = []
    reserved = reserved_folders(catalogues.default)
    for lang, guide in guides.items():
        outputs += _plan_language(guide, lang, prefix(lang, catalogues.default), catalogues, reserved, report, files)
        outputs.append(Output(prefix(lang, catalogues.default) + MANIFEST, "manifest.webmanifest", "manifest.webmanifest",
                              (), lang=lang, key=MANIFEST))
        if official:   # drawn in code (living.py): the presidential bars for link previews
            outputs.append(Output(prefix(lang, catalogues.default) + RESULTS_IMAGE, "", "", (RESULTS, TICKETS),
                                  uses_now=True, lang=lang, key=RESULTS_IMAGE))
    default, catalogue = catalogues.default, (catalogue_path(catalogues.default),)
    outputs += [
        Output("/sitemap.xml", "sitemap.xml", "sitemap.xml", ("*",), lang=default, key="/sitemap.xml"),
        Output("/robots.txt", "robots.txt", "robots.txt", (), lang=default, key="/robots.txt"),
        Output("/next-change.json", "", "next-change.json", ("*",) + catalogue, uses_now=True, lang=default,
               key="/next-change.json"),
    ]
    allowed = dict(next(iter(guides.values())).config.static_html)
    static, assets = _plan_static(snapshot, outputs, reserved, allowed, report)
    return Plan(tuple(outputs), tuple(static), assets)


def reserved_folders(default: str) -> dict[str, str]:
    """Folders of the site that belong to the engine, and who owns each (for messages)."""
    folders = {f"/{lang}/": f"the {language_name(lang)} version of the guide"
               for lang in LANGUAGES if lang != default}
    folders[SEARCH_INDEX] = "the search index"
    folders[PREVIEW] = "the preview server"
    folders.update((folder, f"the site's own files (static{folder})") for folder in STATIC_FOLDERS)
    return folders


def _owner(url: str, claimed: dict[str, str], folders: dict[str, str]) -> str | None:
    """Who already has `url`: its claimant, or the owner of a reserved folder it is in."""
    if url in claimed:
        return claimed[url]
    return next((owner if url == folder or folder in owner else f"{owner} ({folder})"
                 for folder, owner in folders.items() if url.startswith(folder)), None)


def _plan_static(snapshot: Snapshot, outputs: list[Output], reserved: dict[str, str], allowed_html: dict[str, int],
                 report: Report) -> tuple[list[StaticFile], dict[str, str]]:
    """Every file under static/, at its address; a file that would take an address the guide
    or the engine uses, or whose name a web host might change, is a problem. So is an HTML
    page that guide.yaml does not name under `static_html:`: it would be published unchecked
    (scripts and all) beside pages that are sanitised and carry a Content-Security-Policy."""
    claimed = {"/" + o.file: f"the page {o.url}" for o in outputs}
    claimed["/" + urls.file_for(SERVICE_WORKER)] = f"the offline service worker {SERVICE_WORKER}"
    # the static folders are where static files belong
    folders = {folder: owner for folder, owner in reserved.items() if folder not in STATIC_FOLDERS}
    static, assets = [], {}
    for source in snapshot.files_under("static"):   # links leaving the guide were refused by load (sourcefiles.py)
        relative = source.removeprefix("static/")
        odd = next((part for part in relative.split("/") if part.startswith(".") or part.endswith((".", " "))), None)
        if odd is not None:
            report.add(source, 0, 0, f"the name '{excerpt(odd)}' starts or ends with a dot or a space",
                       "web hosts hide or change such names; rename the file")
            continue
        if source.lower().endswith(HTML_SUFFIXES) and source not in allowed_html:
            report.add(source, 0, 0, "is an HTML page, which would be published without the guide's checks",
                       "write it as a Markdown page in content/pages/, or, if it must be published as it is, "
                       "list it in guide.yaml under 'static_html:'")
            continue
        owner = _owner("/" + relative, claimed, folders)
        if owner is not None:
            report.add(source, 0, 0, f"would overwrite {owner}", "rename or move the file")
            continue
        try:
            data = snapshot.read(source)
        except SourceRefused as refused:
            report.add(source, 0, 0, refused.message, refused.hint)
            continue
        if relative.startswith(FINGERPRINTED):
            assets["/" + relative] = "/" + fingerprinted(relative, data)
        static.append(StaticFile(assets.get("/" + relative, "/" + relative), source, data))
    published = {s.source for s in static}
    for listed, line in allowed_html.items():
        if listed not in published or not listed.lower().endswith(HTML_SUFFIXES):
            report.add(SETTINGS, line, 0, f"static_html: {excerpt(listed)} is not an HTML file under static/",
                       "write its path as the problem list names it, e.g. static/google1234.html, or remove it")
    return static, assets


def fingerprinted(relative: str, data: bytes) -> str:
    """css/site.css -> css/site.3f2a1b9c0d.css: a new name whenever the content changes,
    so browsers may keep each file for a year."""
    stem, dot, extension = relative.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{stem}.{digest}.{extension}" if dot else f"{relative}.{digest}"


def fact_check_url(slug: str) -> str:
    return f"/cek-fakta/{slug}/"


def _plan_language(guide: Guide, lang: str, root: str, catalogues: Catalogues, reserved: dict[str, str],
                   report: Report, files) -> list[Output]:
    title = functools.partial(catalogues.text, lang)
    catalogue = (catalogue_path(lang),)
    checks = tuple(check.path for check in guide.fact_checks)
    builtin = [
        ("/", "home.html", guide.config.title, (SCHEDULE, NUMBERS, SOURCES, TICKETS, RESULTS) + checks, True),
        ("/jadwal/", "schedule.html", title("title.schedule"), (SCHEDULE, SOURCES), True),
        ("/partai/", "parties.html", title("title.parties"), (PARTIES, TICKETS, SOURCES), False),
        # a ticket's result shows once the results are official
        ("/paslon/", "tickets.html", title("title.tickets"), (TICKETS, PARTIES, SOURCES, RESULTS), True),
        ("/sumber/", "sources.html", title("title.sources"), ("*",), False),
        # the living document (living.py): change notes, their feed, the calendars (made in code)
        ("/pembaruan/", "updates.html", title("title.updates"), ("*",), False),
        ("/pembaruan/atom.xml", "atom.xml", title("title.updates"), ("*",), False),
        ("/jadwal.ics", "", title("title.calendar"), (SCHEDULE,), False),
        ("/hari-pemungutan-suara.ics", "", title("title.voting_day_calendar"), (SETTINGS, SCHEDULE), False),
        ("/cari/", "search.html", title("title.search"), checks, False),
        ("/cek-fakta/", "factchecks.html", title("title.fact_checks"), checks, False),
    ]
    outputs = [Output(root + url, template, text, inputs + catalogue, uses_now, lang=lang, key=url)
               for url, template, text, inputs, uses_now in builtin]
    outputs.append(Output(root + "/404.html", "404.html", title("title.not_found"), catalogue, rooted_links=True,
                          lang=lang, key="/404.html"))
    outputs.append(Output(root + OFFLINE_PAGE, "offline.html", title("copy.offline_title"), catalogue,
                          rooted_links=True, lang=lang, key=OFFLINE_PAGE))
    planning = Planning(guide, lang, root, catalogues, reserved,
                        {o.url: f"the built-in page '{o.title}'" for o in outputs}, report)
    for entry in files:
        if entry.plan is not None:
            outputs += entry.plan(planning)
    return outputs


def plan_pages(planning: Planning) -> list[Output]:
    """A page (content/pages/*.md) at its address, unless another output has it."""
    outputs, root, claimed = [], planning.root, planning.claimed
    for page in planning.guide.pages:
        url = urls.page_url(page.slug)
        owner = claimed.get(root + url) or _owner(url, {}, planning.reserved)
        if owner is not None:
            if root == "":   # reported once, for the default language
                planning.report.add(page.path, 0, 0, f"the page address {url} is already used by {owner}",
                                    "set a different 'slug:' in the front matter")
            continue
        claimed[root + url] = page.path
        inputs = (page.path, SOURCES) + tuple(i for block in page.blocks for i in BLOCK_INPUTS[block]) \
            + planning.catalogue
        if page.charts:   # drawn from the results, which show from the moment they are official
            inputs += (RESULTS, TICKETS, PARTIES)
        outputs.append(Output(root + url, "page.html", page.title, inputs, uses_now=bool(page.charts), page=page,
                              lang=planning.lang, key=url))
    return outputs


def fact_check_title(check: FactCheck, text) -> str:
    """A fact check's title (<title>, og:title, share text, search results): the verdict, then the
    fact, never the bare claim, which a forwarded link would otherwise spread. `text` is the
    language's plain catalogue text (Catalogues.plain)."""
    verdict = text("verdict." + check.verdict.replace("-", "_"))
    return text("claims.title", verdict=verdict, fact=check.summary)


def plan_fact_checks(planning: Planning) -> list[Output]:
    """A fact check (content/hoaxes/*.md) at /cek-fakta/SLUG/, unless another output has it."""
    outputs, root, claimed, lang = [], planning.root, planning.claimed, planning.lang
    text = functools.partial(planning.catalogues.plain, lang)
    for check in planning.guide.fact_checks:
        url = fact_check_url(check.slug)
        if root + url in claimed:
            if root == "":   # reported once, for the default language
                planning.report.add(check.path, 0, 0, f"the address {url} is already used by {claimed[url]}",
                                    "set a different 'slug:' in the front matter")
            continue
        claimed[root + url] = check.path
        outputs.append(Output(root + url, "factcheck.html", fact_check_title(check, text),
                              (check.path, SOURCES) + planning.catalogue,
                              page=check, lang=lang, key=url))
    return outputs
