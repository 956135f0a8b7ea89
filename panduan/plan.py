"""Plan: the list of files the site consists of, and what each one reads.

Every `Output` names its URL, the template that renders it, the view it gets
and the source files it depends on (plus whether it depends on "now"). Files
under static/ are planned too, so two things can never write one file:
a clash is a content problem, reported before anything is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import urls
from .model import Guide, Page
from .problems import Report

SETTINGS = "guide.yaml"
SOURCES = "content/sources.yaml"
SCHEDULE = "content/schedule.yaml"
PARTIES = "content/parties.yaml"
TICKETS = "content/tickets.yaml"
NUMBERS = "content/numbers.yaml"
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

    def static_urls(self) -> frozenset[str]:
        return frozenset(s.url for s in self.static)


def plan_site(guide: Guide, static_dir: Path, report: Report) -> Plan:
    """Decide every output file; report two outputs writing one file."""
    outputs = [
        Output("/", "home.html", guide.config.title, (SCHEDULE, NUMBERS, SOURCES), uses_now=True),
        Output("/jadwal/", "schedule.html", "Jadwal dan Tahapan", (SCHEDULE, SOURCES), uses_now=True),
        Output("/partai/", "parties.html", "Partai Politik Peserta", (PARTIES, TICKETS, SOURCES)),
        Output("/paslon/", "tickets.html", "Pasangan Calon Presiden dan Wakil Presiden",
               (TICKETS, PARTIES, SOURCES)),
        Output("/sumber/", "sources.html", "Sumber", ("*",)),
        Output("/404.html", "404.html", "Halaman tidak ditemukan", (), rooted_links=True),
    ]
    claimed = {o.url: f"the built-in page '{o.title}'" for o in outputs}
    for page in guide.pages:
        url = urls.page_url(page.slug)
        if url in claimed:
            report.add(page.path, 0, 0, f"the page address {url} is already used by {claimed[url]}",
                       "set a different 'slug:' in the front matter")
            continue
        claimed[url] = page.path
        inputs = (page.path, SOURCES) + tuple(i for block in page.blocks for i in BLOCK_INPUTS[block])
        outputs.append(Output(url, "page.html", page.title, inputs, page=page))
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
