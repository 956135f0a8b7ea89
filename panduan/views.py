"""Views of the content for templates: read-only wrappers of the guide's pages whose presented
fields (a page's words other pages show: title, summary) note each read in `Shown`.

The cache (cache.py) keys a rendering with the presented fields of other pages it read, so
that a title edit renders again the lists and footers that show it and nothing else; the
footer rendered once for many pages (render._Fragments) and the worker processes
(render_pool.py) collect those reads the same way. Templates see pages only through views:
`pages`, `guide.pages` and `update.page` (Renderer.context).
"""
from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .history import Update
    from .model import Guide, Page

PRESENTED = ("title", "summary")   # a page's words that other pages show (lists, the footer): not shared


class Shown:
    """The presented fields of pages, as (page path, field), that renderings read. Recordings nest
    (the footer inside a page, a page inside a worker's task): a read is noted in each open one."""

    def __init__(self) -> None:
        self._open: list[set[tuple[str, str]]] = []

    def note(self, path: str, field: str) -> None:
        for reads in self._open:
            reads.add((path, field))

    @contextlib.contextmanager
    def recording(self):
        """The reads while the block runs."""
        reads: set[tuple[str, str]] = set()
        self._open.append(reads)
        try:
            yield reads
        finally:
            self._open.pop()


class PageView:
    """A page as templates see it: its presented fields note the read; every other field is the page's."""

    __slots__ = ("_page", "_shown")

    def __init__(self, page: Page, shown: Shown) -> None:
        object.__setattr__(self, "_page", page)
        object.__setattr__(self, "_shown", shown)

    @property
    def title(self) -> str:
        self._shown.note(self._page.path, "title")
        return self._page.title

    @property
    def summary(self) -> str:
        self._shown.note(self._page.path, "summary")
        return self._page.summary

    def __getattr__(self, name: str):
        return getattr(self._page, name)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"a page is read-only in templates ({name})")


class GuideView:
    """A guide as templates see it: its pages are views; every other field is the guide's."""

    __slots__ = ("_guide", "pages")

    def __init__(self, guide: Guide, pages: tuple[PageView, ...]) -> None:
        object.__setattr__(self, "_guide", guide)
        object.__setattr__(self, "pages", pages)

    def __getattr__(self, name: str):
        return getattr(self._guide, name)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"the guide is read-only in templates ({name})")


class Views:
    """Each language's guide and change notes as templates see them, made once per build."""

    def __init__(self, guides: dict[str, Guide], shown: Shown) -> None:
        self.shown = shown
        self._pages: dict[str, PageView] = {}
        self.guides = {lang: GuideView(guide, tuple(self.page(p) for p in guide.pages))
                       for lang, guide in guides.items()}
        self._updates: dict[int, tuple[tuple[Update, ...], tuple[Update, ...]]] = {}   # id -> (notes, their views)

    def page(self, page: Page) -> PageView:
        found = self._pages.get(page.path)
        if found is None or found._page is not page:
            found = self._pages[page.path] = PageView(page, self.shown)
        return found

    def updates(self, found: tuple[Update, ...]) -> tuple[Update, ...]:
        """Change notes naming their page by its view."""
        known = self._updates.get(id(found))
        if known is None or known[0] is not found:
            if len(self._updates) > 2 * len(self.guides):   # views kept for the next build (cache.py) keep
                self._updates.clear()                         # only its notes, one set per language
            known = self._updates[id(found)] = (found, tuple(
                dataclasses.replace(u, page=self.page(u.page)) if u.page is not None else u for u in found))
        return known[1]
