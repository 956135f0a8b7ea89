"""Plan: the list of files the site consists of, and what each one reads.

Every `Output` names its URL, its language, its address in the default
language (`key`, shared by every translation of one page), the template that
renders it, the view it gets and the source files it depends on (plus whether
it depends on "now"). Files
under static/ are planned too, so two things can never write one file:
a clash is a content problem, reported before anything is written.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .i18n import Catalogues, catalogue_path, prefix
from .model import Guide, Page
from .problems import Report

SETTINGS = "guide.yaml"
SOURCES = "content/sources.yaml"
SCHEDULE = "content/schedule.yaml"
PARTIES = "content/parties.yaml"
TICKETS = "content/tickets.yaml"
NUMBERS = "content/numbers.yaml"
TITLE_KEYS = ("title.schedule", "title.parties", "title.tickets", "title.sources", "title.not_found")
BLOCK_INPUTS = {"ballots": (), "report_channels": (), "key_numbers": (NUMBERS,)}


@dataclass(frozen=True)
class Output:
    url: str
    template: str
    title: str
    inputs: tuple[str, ...]        # source files read, besides guide.yaml and the page list
    uses_now: bool = False
    page: Page | None = None
    rooted_links: bool = False     # served at any address (404): link from the site's root
    lang: str = "id"               # the language it is written in
    key: str = ""                  # its address in the default language: the same page in every language

    @property
    def file(self) -> str:
        return urls.file_for(self.url)


@dataclass(frozen=True)
class StaticFile:
    url: str
    source: Path


@dataclass(frozen=True)
class Plan:
    outputs: tuple[Output, ...]
    static: tuple[StaticFile, ...]

    def urls(self) -> frozenset[str]:
        return frozenset(o.url for o in self.outputs)

    def localize(self, url: str, lang: str) -> str:
        """The address in `lang` of the page at `url` (a default-language address); others unchanged."""
        path, hash_, fragment = url.partition("#")
        found = self._by_key.get(path, {}).get(lang)
        return found.url + hash_ + fragment if found else url

    def versions(self, output: Output) -> tuple[Output, ...]:
        """The same page in every language, default language first."""
        return tuple(self._by_key[output.key].values())

    @functools.cached_property
    def _by_key(self) -> dict[str, dict[str, Output]]:
        index: dict[str, dict[str, Output]] = {}
        for output in self.outputs:
            index.setdefault(output.key, {})[output.lang] = output
        return index

    def static_urls(self) -> frozenset[str]:
        return frozenset(s.url for s in self.static)


def plan_site(guides: dict[str, Guide], catalogues: Catalogues, static_dir: Path, report: Report) -> Plan:
    """Decide every output file, for every language; report two outputs writing one file.

    `guides` holds the guide as read in each language, the default language first."""
    outputs = []
    for lang, guide in guides.items():
        outputs += _plan_language(guide, lang, prefix(lang, catalogues.default), catalogues, report)
    files = {o.file: o.url for o in outputs}
    static = []
    for path in sorted(static_dir.rglob("*")) if static_dir.is_dir() else ():
        if path.is_symlink() or not path.is_file():
            continue
        relative = path.relative_to(static_dir).as_posix()
        if relative in files:
            report.add(f"static/{relative}", 0, 0, f"would overwrite the page {files[relative]}",
                       "rename or move the file")
            continue
        static.append(StaticFile("/" + relative, path))
    return Plan(tuple(outputs), tuple(static))


def _plan_language(guide: Guide, lang: str, root: str, catalogues: Catalogues, report: Report) -> list[Output]:
    title = functools.partial(catalogues.text, lang)
    catalogue = (catalogue_path(lang),)
    builtin = [
        ("/", "home.html", guide.config.title, (SCHEDULE, NUMBERS, SOURCES), True),
        ("/jadwal/", "schedule.html", title("title.schedule"), (SCHEDULE, SOURCES), True),
        ("/partai/", "parties.html", title("title.parties"), (PARTIES, TICKETS, SOURCES), False),
        ("/paslon/", "tickets.html", title("title.tickets"), (TICKETS, PARTIES, SOURCES), False),
        ("/sumber/", "sources.html", title("title.sources"), ("*",), False),
    ]
    outputs = [Output(root + url, template, text, inputs + catalogue, uses_now, lang=lang, key=url)
               for url, template, text, inputs, uses_now in builtin]
    outputs.append(Output(root + "/404.html", "404.html", title("title.not_found"), catalogue, rooted_links=True,
                          lang=lang, key="/404.html"))
    claimed = {o.url: f"the built-in page '{o.title}'" for o in outputs}
    for page in guide.pages:
        url = urls.page_url(page.slug)
        if root + url in claimed:
            if root == "":   # reported once, for the default language
                report.add(page.path, 0, 0, f"the page address {url} is already used by {claimed[url]}",
                           "set a different 'slug:' in the front matter")
            continue
        claimed[root + url] = page.path
        inputs = (page.path, SOURCES) + tuple(i for block in page.blocks for i in BLOCK_INPUTS[block]) + catalogue
        outputs.append(Output(root + url, "page.html", page.title, inputs, page=page, lang=lang, key=url))
    return outputs
