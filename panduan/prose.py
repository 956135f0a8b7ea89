"""Prose: Markdown page bodies to safe HTML.

Python-Markdown converts the body; a tree processor then resolves every link
and image (a `page.md` link becomes the page's relative URL, a site path is
checked against the planned outputs, an image against `static/`) and checks
the heading outline. The HTML is finally sanitised with nh3 (the Ammonia
sanitiser), so raw HTML, scripts, event handlers and `javascript:` links in
content never reach a reader. Content is never passed through Jinja, so
template syntax in it is shown as written.

Each body is converted once per build, whichever languages show it: a link
to another page or a static file is left as a placeholder (`Converted`), and
each output fills in its own relative, language-localized address.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import posixpath
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from . import urls
from .load import CONTROL_CHARACTERS, PAGES_DIR, Source
from .model import Page
from .problems import Problem, Report, did_you_mean, excerpt

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align"}, "th": {"align"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"}, "sup": {"id"}, "div": {"class"},
}
EXTERNAL_SCHEMES = ("http://", "https://", "mailto:", "tel:")
PARALLEL_FROM = 200   # bodies to convert before a second process pays for its start


@dataclass(frozen=True)
class LinkTargets:
    """What a link may point at: pages by source file, every planned URL, static files."""

    page_urls: dict[str, str]      # content/pages/x.md (and x.en.md) -> /x/, its default-language address;
                                   # content/hoaxes/y.md (and y.en.md) -> /cek-fakta/y/
    site_urls: frozenset[str]
    static_files: frozenset[str]   # site paths of files copied from static/
    hidden: dict[str, str] = field(default_factory=dict)   # page source or URL -> why it is not built now


@dataclass(frozen=True)
class Converted:
    """A body's sanitised HTML in which the address of each internal link is a placeholder,
    "@<token>-<n>", for `links[n]`: (site path, localized?), resolved per output by `at`.
    The token is a digest of the body, so no text of the body can pass for a placeholder."""

    html: str
    token: str
    links: tuple[tuple[str, bool], ...]

    def at(self, url: str, localize) -> Markup:
        """The HTML as shown at `url`; `localize` maps a site path to its version in the output's language."""
        if not self.links:
            return Markup(self.html)

        def address(found: re.Match) -> str:
            if found.group(1) != self.token:
                return found.group(0)
            path, localized = self.links[int(found.group(2))]
            return _escape_attribute(urls.relative(url, localize(path) if localized else path))

        return Markup(_PLACEHOLDER.sub(address, self.html))


_PLACEHOLDER = re.compile('(?<==")@([0-9a-f]{16})-([0-9]+)')


def _escape_attribute(value: str) -> str:
    """As nh3 (html5ever) writes an attribute value."""
    return value.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace('"', "&quot;") \
        .replace("<", "&lt;").replace(">", "&gt;")


class _Resolver(Treeprocessor):
    def __init__(self, md, converter: "Prose"):
        super().__init__(md)
        self.converter = converter

    def run(self, root):
        converter = self.converter
        previous_level = 1
        for element in root.iter():
            if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                level = int(element.tag[1])
                text = "".join(element.itertext())
                if level == 1:
                    converter.problem(text, f"heading '{text}' is a page title (#)",
                                      "the page title comes from the front matter; start headings at ##")
                elif level > previous_level + 1:
                    converter.problem(text, f"heading '{text}' skips from level {previous_level} to {level}",
                                      f"use {'#' * (previous_level + 1)} for this heading", warning=True)
                previous_level = level
            elif element.tag == "a" and element.get("href") is not None:
                element.set("href", converter.link(element.get("href"), image=False))
            elif element.tag == "img":
                element.set("src", converter.link(element.get("src", ""), image=True))
                if not element.get("alt"):
                    converter.problem(element.get("src", ""), "an image has no description (alt text)",
                                      "write it between the brackets: ![what the image shows](...)")


class Prose:
    """Converts page bodies for one build: the only reader of the Markdown, from `sources`
    (the loaded files by path; the model keeps each page's path and body line)."""

    def __init__(self, targets: LinkTargets, report: Report, sources: Mapping[str, Source]):
        self.targets, self.report, self.sources = targets, report, sources
        self.page: Page | None = None
        self.token = ""
        self.links: list[tuple[str, bool]] = []
        self.done: dict[tuple[str, int, str], tuple[Converted, tuple[Problem, ...]]] = {}
        self.conversions = 0   # Markdown conversions so far (one per distinct body)
        self.markdown = markdown.Markdown(
            extensions=["extra", "sane_lists", "toc"],
            extension_configs={"toc": {"permalink": False}},
            output_format="html")
        self.markdown.treeprocessors.register(_Resolver(self.markdown, self), "panduan-links", 1)

    def problem(self, needle: str, message: str, hint: str = "", warning: bool = False) -> None:
        page, body = self.page, self.body(self.page)
        offset = body.find(needle) if needle else -1
        line = page.body_line + body[:offset].count("\n") if offset >= 0 else 0
        (self.report.warn if warning else self.report.add)(page.path, line, 0, message, hint)

    def link(self, target: str, image: bool) -> str:
        if target.startswith(EXTERNAL_SCHEMES) and image:   # pages load only the guide's own images (its CSP)
            self.problem(target, f"image '{excerpt(target, 60)}' is on another site, and pages show only the guide's own images",
                         "download it into static/ (if its licence allows) and write its path, e.g. /img/peta.png")
            return ""
        if target.startswith(EXTERNAL_SCHEMES):
            return target
        if target.startswith("#") or not target:
            return target
        path, hash_, fragment = target.partition("#")
        if image:
            if path.startswith("/") and path in self.targets.static_files:
                return self.placeholder(path, localized=False)
            self.problem(target, f"image '{target}' does not exist",
                         "put the image in static/ and write its path from there, e.g. /img/peta.png")
            return ""
        if path.endswith(".md"):
            source = posixpath.normpath(posixpath.join(posixpath.dirname(self.page.path), path))
            if source in self.targets.page_urls:
                return self.placeholder(self.targets.page_urls[source]) + hash_ + fragment
            if source in self.targets.hidden:
                return self.not_built(target, self.targets.hidden[source])
            self.problem(target, f"link to '{target}', which does not exist",
                         did_you_mean(path, [posixpath.basename(p) for p in self.targets.page_urls]))
            return ""
        if path.startswith("/"):
            for candidate in (path, path + "/"):
                if candidate in self.targets.hidden:
                    return self.not_built(target, self.targets.hidden[candidate])
            if path in self.targets.static_files:
                return self.placeholder(path, localized=False) + hash_ + fragment
            if path in self.targets.site_urls:
                return self.placeholder(path) + hash_ + fragment
            if path + "/" in self.targets.site_urls:
                return self.placeholder(path + "/") + hash_ + fragment
            self.problem(target, f"link to '{target}', which does not exist",
                         did_you_mean(path, self.targets.site_urls))
            return ""
        self.problem(target, f"link '{target}' cannot be followed",
                     "link pages by file name (other-page.md), site pages by path (/jadwal/), "
                     "and other sites by full address (https://...)")
        return ""

    def not_built(self, target: str, why: str) -> str:
        hint = "remove the link, or give this page the same phases, publish_at and expire_at"
        if not self.page.path.startswith(PAGES_DIR + "/"):   # a fact check is always shown
            hint = "remove the link while that page is not published"
        self.problem(target, f"link to '{target}', a page that is not built now: {why}", hint)
        return ""

    def placeholder(self, path: str, localized: bool = True) -> str:
        """Stands for the address of site path `path` until `Converted.at` knows the output."""
        self.links.append((path, localized))
        return f"@{self.token}-{len(self.links) - 1}"

    def body(self, page: Page) -> str:
        """The page's Markdown body."""
        return self.sources[page.path].body

    def key(self, page: Page) -> tuple[str, int, str]:
        """What a conversion depends on, besides the link targets: the path, first line and text of the body."""
        return page.path, page.body_line, self.body(page)

    def convert(self, page: Page, url: str, localize=lambda path: path) -> Markup:
        """The page's HTML at `url`; `localize` maps a site path to its version in the page's language.
        Its problems go to `report` each time, the Markdown is converted once per build."""
        converted, problems = self.converted(page)
        self.report.extend(problems)
        return converted.at(url, localize)

    def prepare(self, pages: list[Page]) -> None:
        """Convert the bodies of `pages` ahead, on every core when there are many (the results,
        and so the problems each output replays, are the same as one by one)."""
        todo = list({self.key(page): page for page in pages if self.key(page) not in self.done}.values())
        processes = min(os.cpu_count() or 1, 4)
        if len(todo) < PARALLEL_FROM or processes < 2 or threading.active_count() > 1 \
                or "fork" not in multiprocessing.get_all_start_methods():
            return   # few, one core, or threads running (watch mode), where forking is unsafe
        global _FORKED
        _FORKED = (self, todo)
        try:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                found = pool.map(_convert_forked, range(len(todo)), chunksize=max(1, len(todo) // (processes * 4)))
        finally:
            _FORKED = None
        for page, result in zip(todo, found):
            self.done[self.key(page)] = result
        self.conversions += len(todo)

    def converted(self, page: Page) -> tuple[Converted, tuple[Problem, ...]]:
        """The page's body converted, with the problems found in it."""
        key = self.key(page)
        if key not in self.done:
            outer, self.report = self.report, Report()
            try:
                self.done[key] = (self._convert(page), tuple(self.report.problems))
            finally:
                self.report = outer
        return self.done[key]

    def _convert(self, page: Page) -> Converted:
        self.page, self.links = page, []
        body = self.body(page)
        self.token = hashlib.blake2b(f"{page.path}\0{body}".encode(), digest_size=8).hexdigest()
        self.markdown.reset()
        self.conversions += 1
        try:
            html = self.markdown.convert(body)
        except RecursionError:   # nesting load.too_deep does not count, e.g. of inline markup
            self.problem("", "is nested too deeply to convert", "make the text's lists, quotes and emphasis flatter")
            return Converted("", self.token, ())
        clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                          url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer")
        # without characters from references such as &#1;, which nh3 decodes; XML feeds cannot hold them
        return Converted(CONTROL_CHARACTERS.sub("", clean), self.token, tuple(self.links))




_FORKED: tuple[Prose, list[Page]] | None = None   # what `Prose.prepare` hands its worker processes


def _convert_forked(index: int) -> tuple[Converted, tuple[Problem, ...]]:
    prose, pages = _FORKED
    return prose.converted(pages[index])
