"""Link check: every internal link and image in the rendered site must resolve.

Markdown links are checked (with their line) when prose is converted; this
last check reads the finished HTML, so a template linking to a page an editor
removed (say, a call to action to /cara-mencoblos/) is caught before writing.
"""
from __future__ import annotations

from html import unescape
import posixpath
import re
from urllib.parse import urlsplit

from . import urls
from .plan import Plan
from .problems import Report


# What html.parser would report, in two regular-expression passes (it was most of a cold build's
# link check): comments and the text of scripts and styles hold no tags; a tag's attribute values
# may be quoted (and then hold '>') or bare, and are unescaped. Templates and sanitised Markdown
# escape quotes inside values, so an "href=" inside a value is never taken for an attribute.
_HIDDEN = re.compile(r"<(?:!--.*?--|((script|style)\b(?:[^>\"']+|\"[^\"]*\"|'[^']*')*)>.*?</\2\s*)>", re.S | re.I)
_TAG = re.compile(r"<([a-zA-Z][^\t\n\r\f />\x00]*)((?:[^>\"']+|\"[^\"]*\"|'[^']*')*)>")
_LINK = re.compile(r"""[\s"'/](href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']*))""", re.I)


def links_in(html: bytes) -> frozenset[str]:
    """Every href of an <a> or <link> and every src, as written in the page (entities decoded)."""
    page = html.decode("utf-8")
    found = set()
    for tag in _TAG.finditer(_HIDDEN.sub(lambda m: f"<{m.group(1)}>" if m.group(1) else "", page)):
        if "=" not in tag.group(2):
            continue
        anchor = tag.group(1).lower() in ("a", "link")
        for link in _LINK.finditer(tag.group(2)):
            if anchor or link.group(1).lower() == "src":
                found.add(unescape(link.group(2) or link.group(3) or link.group(4) or ""))
    return frozenset(found)


def _climbs(link: str) -> int:
    """How many folders a link goes up before anything else ("../../x/": 2); a link that goes up
    at least as many folders as its page is deep (or starts at the root) resolves alike from any page."""
    if link.startswith(("/", "#", "?")) or ":" in link.partition("/")[0]:   # rooted, in-page, or external
        return 1 << 30
    climbs = 0
    while link.startswith("../", climbs * 3):
        climbs += 1
    return climbs


def _resolve(page_url: str, link: str, rooted_prefix: str) -> str | None:
    """The site path a link points at, or None for external and in-page links."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    if parts.path.startswith("/"):
        path = parts.path[len(rooted_prefix):] if rooted_prefix and parts.path.startswith(rooted_prefix) else parts.path
        return path
    resolved = posixpath.normpath(posixpath.join(urls.folder(page_url), parts.path))
    return resolved + "/" if parts.path.endswith("/") and resolved != "/" else resolved


class LinkChecker:
    """Checks rendered HTML files against the files the site will have.

    `scanned` may hold, by output file, (the bytes, `links_in` of them) found while rendering
    (render.py's pool scans in its workers); a link's target is resolved once per folder."""

    def __init__(self, plan: Plan, base_url: str, scanned: dict[str, tuple[bytes, frozenset[str]]] | None = None):
        existing = {o.file for o in plan.outputs} | {s.url.lstrip("/") for s in plan.static}
        self.prefix = urls.rooted(base_url, "/").rstrip("/")
        self.existing = existing
        self.context = (frozenset(existing), self.prefix)   # what a check's result depends on, besides the file
        self.scanned = scanned or {}
        self._missing: dict[tuple[str, str], str | None] = {}   # (folder, link) -> missing target, or None

    def check(self, output, html: bytes, report: Report) -> None:
        scanned = self.scanned.get(output.file)
        found = scanned[1] if scanned is not None and scanned[0] is html else links_in(html)
        folder = urls.folder(output.url)
        depth = folder.count("/") - 1
        for link in sorted(found):
            key = ("", link) if _climbs(link) >= depth else (folder, link)   # "../x/" from any /y/: /x/
            if key not in self._missing:
                self._missing[key] = self._missing_target(output.url, link)
            target = self._missing[key]
            if target is not None:
                where = output.page.path if output.page else f"templates/{output.template}"
                report.add(where, 0, 0, f"the page {output.url} links to {target}, which does not exist",
                           "fix the link, or restore the page it points to")

    def _missing_target(self, page_url: str, link: str) -> str | None:
        """The site path `link` points at from `page_url` if no file of the site is there, else None."""
        target = _resolve(page_url, link, self.prefix)
        if target is None:
            return None
        try:
            exists = urls.file_for(target) in self.existing
        except urls.UnsafeUrl:
            exists = target.lstrip("/") in self.existing
        return None if exists else target


def check_links(outputs, files: dict[str, bytes], checker: LinkChecker, report_for, memo=None) -> None:
    """Check the rendered HTML files of `outputs`; `report_for(output)` is the report its problems go to;
    `memo(output, html, context, check, report)` may remember results."""
    for output in outputs:
        html = files.get(output.file)
        if html is None or not output.file.endswith(".html"):
            continue
        if memo is None:
            checker.check(output, html, report_for(output))
        else:
            memo(output, html, checker.context, checker.check, report_for(output))
