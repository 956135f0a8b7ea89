"""Plan: the list of files the site consists of, and what each one reads.

Every `Output` names its URL, the template that renders it, the view it gets
and the source files it depends on (plus whether it depends on "now"). Files
under static/ are planned too, so two things can never write one file:
a clash is a content problem, reported before anything is written.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .model import FactCheck, Guide, Page
from .problems import Report

SETTINGS = "guide.yaml"
SOURCES = "content/sources.yaml"
SCHEDULE = "content/schedule.yaml"
PARTIES = "content/parties.yaml"
TICKETS = "content/tickets.yaml"
NUMBERS = "content/numbers.yaml"
BLOCK_INPUTS = {"ballots": (), "report_channels": (), "key_numbers": (NUMBERS,)}
SERVICE_WORKER = "/sw.js"         # written by `offline`; at the root so its scope is the whole site
SEARCH_INDEX = "/pagefind/"       # written by `search` after the pages
FINGERPRINTED = ("css/", "js/")   # static folders whose files get a content hash in their name


@dataclass(frozen=True)
class Output:
    url: str
    template: str
    title: str
    inputs: tuple[str, ...]        # source files read, besides guide.yaml and the page list
    uses_now: bool = False
    page: Page | FactCheck | None = None   # the Markdown source rendered, if any
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
    assets: dict[str, str] = field(default_factory=dict)   # /css/site.css -> /css/site.<hash>.css

    def urls(self) -> frozenset[str]:
        return frozenset(o.url for o in self.outputs)

    def static_urls(self) -> frozenset[str]:
        return frozenset(s.url for s in self.static)


def plan_site(guide: Guide, static_dir: Path, report: Report) -> Plan:
    """Decide every output file; report two outputs writing one file."""
    checks = tuple(check.path for check in guide.fact_checks)
    outputs = [
        Output("/", "home.html", guide.config.title, (SCHEDULE, NUMBERS, SOURCES) + checks, uses_now=True),
        Output("/jadwal/", "schedule.html", "Jadwal dan Tahapan", (SCHEDULE, SOURCES), uses_now=True),
        Output("/partai/", "parties.html", "Partai Politik Peserta", (PARTIES, TICKETS, SOURCES)),
        Output("/paslon/", "tickets.html", "Pasangan Calon Presiden dan Wakil Presiden",
               (TICKETS, PARTIES, SOURCES)),
        Output("/sumber/", "sources.html", "Sumber", ("*",)),
        Output("/cek-fakta/", "factchecks.html", "Cek Fakta", checks),
        Output("/cari/", "search.html", "Cari", checks),
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
    for check in guide.fact_checks:
        url = f"/cek-fakta/{check.slug}/"
        if url in claimed:
            report.add(check.path, 0, 0, f"the address {url} is already used by {claimed[url]}",
                       "set a different 'slug:' in the front matter")
            continue
        claimed[url] = check.path
        outputs.append(Output(url, "factcheck.html", check.claim, (check.path, SOURCES), page=check))
    files = {o.file: o.url for o in outputs}
    files[urls.file_for(SERVICE_WORKER)] = SERVICE_WORKER
    static, assets = [], {}
    for path in sorted(static_dir.rglob("*")) if static_dir.is_dir() else ():
        if path.is_symlink() or not path.is_file():
            continue
        relative = path.relative_to(static_dir).as_posix()
        if relative in files or relative.startswith(SEARCH_INDEX.strip("/") + "/"):
            report.add(f"static/{relative}", 0, 0, f"would overwrite the page {files.get(relative, SEARCH_INDEX)}",
                       "rename or move the file")
            continue
        if relative.startswith(FINGERPRINTED):
            assets["/" + relative] = "/" + fingerprinted(relative, path.read_bytes())
        static.append(StaticFile(assets.get("/" + relative, "/" + relative), path))
    return Plan(tuple(outputs), tuple(static), assets)


def fingerprinted(relative: str, data: bytes) -> str:
    """css/site.css -> css/site.3f2a1b9c0d.css: a new name whenever the content changes,
    so browsers may keep each file for a year."""
    stem, dot, extension = relative.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{stem}.{digest}.{extension}" if dot else f"{relative}.{digest}"
