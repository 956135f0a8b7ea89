"""Render: each planned output to bytes through the Jinja templates.

One `Environment` per build: autoescape on for every template, undefined
names are errors, and filters (Babel) that format dates and numbers for the
language of the output being rendered. Templates receive typed objects (the
`Guide` and `Timeline` as read in the output's language, the `Output` being
rendered), `t('key', name=value)` for interface text from the language's
catalogue, `alternates` (the page in every language, for the language
switcher), `hreflang` (those of them that are real translations, for search
engines), `canonical` and a `url()` helper that turns a site path into a link
relative to the current page, to the page's version in the same language, and
`url_of(page)`, the path the plan gave a page. `Renderer.context` names every one,
once; pages reach templates as views (views.py). A broken template is reported like a content
problem, with the template's file and line.
"""
from __future__ import annotations

import functools
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import jinja2
from jinja2.loaders import split_template_path
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from . import copy_notice, structured, urls
from .history import History
from .i18n import Catalogues
from .load import is_editor_litter
from .model import FactCheck, Guide, Page
from .plan import Output, Plan
from .problems import Report
from .qr import qr_svg
from .render_pool import render_forked, worth_forking
from .sourcefiles import SourceRefused
from .timeline import Timeline
from .views import Shown, Views

if TYPE_CHECKING:
    from .living import LivingNames
    from .snapshot import Snapshot


def _number(value, locale: str) -> str:
    if isinstance(value, str):
        return value
    return format_decimal(value, locale=locale)


@functools.lru_cache(maxsize=1024)   # every page shows the same few dates (voting day, "as of")
def _date(day, pattern: str, locale: str) -> str:
    return format_date(day, pattern, locale=locale)


def _locale_filter(function):
    """A filter formatting for the language of the output being rendered."""
    return jinja2.pass_context(lambda context, value: function(value, context["output"].lang))


# Every page's Content-Security-Policy (a <meta> in base.html, so it holds on any static host):
# what the built files need and nothing more. Scripts, styles, images and connections come from
# the site itself; 'wasm-unsafe-eval' lets Pagefind compile its WebAssembly in the page where it
# cannot start a worker (it allows no JavaScript eval); one inline script, allowed by its digest
# (panduan/copy_notice.py), and no other; no style attribute, no plugins, no <base>; forms go to
# the site itself, or to DuckDuckGo (the search form without JavaScript, templates/search.html). JSON-LD is a data block, not script: unaffected.
# The preview server's live-reload script is a file of the same origin, so it needs nothing more.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    f"script-src 'self' 'wasm-unsafe-eval' {copy_notice.SOURCE}",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self' https://duckduckgo.com",
))


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in memory between builds; Jinja checks each against its source."""

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.stored:
            bucket.bytecode_from_string(self.stored[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.stored[bucket.key] = bucket.bytecode_to_string()


class SnapshotLoader(jinja2.BaseLoader):
    """The templates under templates/ as the build read them (snapshot.py): read once, and the
    same bytes the build's key was made of. Each is named by its file's path, as Jinja's own
    file loader names it, so an error points at the file."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        relative = "/".join(("templates", *split_template_path(template)))   # no '..': never outside
        filename = os.path.normpath(os.path.join(self.snapshot.root, relative))
        try:
            text = self.snapshot.text(relative)
        except SourceRefused:
            raise jinja2.TemplateNotFound(template, f"there is no template {relative}") from None
        except UnicodeDecodeError as error:
            line = self.snapshot.read(relative)[:error.start].count(b"\n") + 1
            raise jinja2.TemplateSyntaxError("the template is not UTF-8 text; save it as UTF-8", line, template,
                                             filename) from None
        return text, filename, lambda: True

    def list_templates(self) -> list[str]:
        """Every template, not an editor's swap or backup file (render_pool compiles them all)."""
        return [path.removeprefix("templates/") for path in self.snapshot.files_under("templates")
                if not is_editor_litter(path.rpartition("/")[2])]


def environment(snapshot: Snapshot, bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,   # watch mode keeps compiled templates between builds
        loader=SnapshotLoader(snapshot),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,   # one environment per build: a template is read once, not stat-ed per include
    )
    env.globals["copy_notice_script"] = Markup(copy_notice.SCRIPT)
    env.globals["content_security_policy"] = Markup(CONTENT_SECURITY_POLICY)   # quotes are fine inside content="..."
    env.filters["date_long"] = _locale_filter(lambda day, locale: _date(day, "d MMMM y", locale))
    env.filters["date_full"] = _locale_filter(lambda day, locale: _date(day, "EEEE, d MMMM y", locale))
    env.filters["date_short"] = _locale_filter(lambda day, locale: _date(day, "d MMM y", locale))
    env.filters["number"] = _locale_filter(_number)
    env.filters["qr_svg"] = qr_svg   # the printed guide's code to the living site (templates/page.html)
    return env


def _parent(folder: str) -> str:
    """The folder around `folder` ("/" around /x/; "" around the root)."""
    return folder.rstrip("/").rsplit("/", 1)[0] + "/" if folder != "/" else ""


def _plain(paths) -> bool:
    """Are these site paths clean (from the root, no "." or ".." part, no "//")? urls.relative
    makes links to them by their parts alone."""
    return all(path.startswith("/") and "/." not in path.partition("#")[0] and "//" not in path.partition("#")[0]
               for path in paths)


def _inside(folder: str, paths) -> bool:
    """Does any of the site paths go inside `folder` (so a link to it is not alike from beside it)?"""
    return any(path.startswith(folder) or path.partition("#")[0] == folder[:-1] for path in paths)


class _Links:
    """Links from pages to site paths, each made once: every page makes the same menu and footer links.

    A relative link depends only on the parent of the page's folder when the path it goes to is
    outside the page's folder ("../jadwal/" from /x/ and from /y/, "../jadwal/" from /en/x/ to
    /en/jadwal/); other links are kept by folder, and rooted links (the 404 page's) by base address."""

    def __init__(self) -> None:
        self.known: dict[tuple, dict[str, str]] = {}

    def maker(self, from_url: str, rooted_base: str | None):
        if rooted_base is not None:
            rooted = self.known.setdefault(("rooted", rooted_base), {})
            return lambda path: rooted.get(path) or rooted.setdefault(path, urls.rooted(rooted_base, path))
        folder = urls.folder(from_url)
        own = self.known.setdefault(("folder", folder), {})
        shared = self.known.setdefault(("parent", _parent(folder)), {}) if _plain((folder,)) else own

        def link(path: str) -> str:
            table = own if _inside(folder, (path,)) else shared
            found = table.get(path)
            if found is None:
                if not _plain((path,)):   # odd: urls.relative's slow way, by folder
                    table = own
                found = table.get(path) or table.setdefault(path, urls.relative(from_url, path))
            return found
        return link


class _Fragments:
    """Parts of pages rendered once for many: the footer (templates/partials/footer.html) is the
    same on every page of one language beside each other, as its links are (`_Links`).

    A rendering kept is reused for a page unless one of its links goes inside that page's folder
    (the footer of /jadwal/ links to itself as "./"). The cache traces which pages' titles and
    summaries each rendering read (views.py): those the footer read are noted again on reuse."""

    TEMPLATE = "partials/footer.html"

    def __init__(self, env: jinja2.Environment, plan: Plan, shown: Shown) -> None:
        self.env, self.plan, self.shown = env, plan, shown
        self.known: dict[tuple, tuple[Markup, tuple[str, ...], tuple]] = {}   # key -> (html, targets, reads)

    def footer(self, output: Output, context: dict) -> Markup:
        folder = urls.folder(output.url)
        key = (output.lang, output.rooted_links, _parent(folder))
        found = self.known.get(key)
        if found is not None and not _inside(folder, found[1]):
            for path, field in found[2]:
                self.shown.note(path, field)
            return found[0]
        html, paths, reads = self._render(context)
        targets = tuple(self.plan.localize(path, output.lang) for path in paths)
        if _plain((folder, *targets)) and not _inside(folder, targets):   # else its links are this page's only
            self.known.setdefault(key, (html, targets, reads))
        return html

    def _render(self, context: dict) -> tuple[Markup, tuple[str, ...], tuple]:
        paths = []
        plain_url = context["url"]

        def url(path: str) -> str:
            paths.append(path)
            return plain_url(path)

        with self.shown.recording() as reads:
            html = self.env.get_template(self.TEMPLATE).render({**context, "url": url})
        return Markup(html), tuple(paths), tuple(sorted(reads))


class _Translator:
    """`t()` of one language (Catalogues.translator), remembering the texts without placeholders:
    the same labels are asked for on every page."""

    def __init__(self, catalogues: Catalogues, lang: str):
        self.plain = catalogues.translator(lang)
        self.known: dict[str, Markup] = {}

    def __call__(self, key: str, **values) -> Markup:
        if values:
            return self.plain(key, **values)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self.plain(key)
        return found


@dataclass(frozen=True)
class Alternate:
    """The page in one language, for hreflang links and the language switcher."""

    lang: str
    name: str        # the language's own name for itself, e.g. "English"
    url: str         # relative to the current page
    absolute: str
    translated: bool  # written in that language (see `Output.translated`)


class Renderer:
    def __init__(self, snapshot: Snapshot, guides: dict[str, Guide], catalogues: Catalogues,
                 timelines: dict[str, Timeline], plan: Plan, bodies: dict[str, Markup],
                 living: dict[str, LivingNames], bytecode_cache: jinja2.BytecodeCache | None = None,
                 views=lambda make: make()):
        self.templates = snapshot.root / "templates"
        self.env = environment(snapshot, bytecode_cache)
        self.env.globals.update(jsonld=structured.script, voting_event=structured.voting_event,
                                claim_review=structured.claim_review, faq_page=structured.faq_page,
                                dataset=structured.dataset)
        self.guides, self.catalogues, self.timelines = guides, catalogues, timelines
        self.plan, self.bodies = plan, bodies
        self.living = living   # the living document's names for the templates of each language
        self.history: History | None = None   # while rendering (render_all)
        self.scanned: dict[str, tuple[bytes, frozenset[str]]] = {}   # file -> (bytes, links), if forked
        self._links = _Links()
        # what renderings read of pages, through their views: the cache keys renderings by it;
        # `views(make)` may give those of the last build with the same model (cache.py)
        self.views = views(lambda: Views(guides, Shown()))
        self.shown = self.views.shown
        self._fragments = _Fragments(self.env, plan, self.shown)
        self._localized: dict[str, dict[str, str]] = {lang: {} for lang in guides}   # site path -> its version
        self._translators = {lang: _Translator(catalogues, lang) for lang in guides}

    def render(self, output: Output) -> bytes:
        return self.env.get_template(output.template).render(self.context(output)).encode("utf-8")

    def context(self, output: Output) -> dict:
        """Every name the templates see when rendering `output`, each set here once.

        Site paths are default-language addresses (/jadwal/), as `url_of(page)` gives a page's
        or fact check's: `url(path)` and `absolute(path)` go to the version in this output's
        language, as a link relative to it and as a full address."""
        guide = self.views.guides[output.lang]
        living = self.living[output.lang]
        base_url = guide.config.base_url

        link = self._links.maker(output.url, base_url if output.rooted_links else None)
        localized = self._localized[output.lang]

        def localize(path: str) -> str:
            found = localized.get(path)
            if found is None:
                found = localized[path] = self.plan.localize(path, output.lang)
            return found

        def url(path: str) -> str:
            """A link to a site path, to its version in this output's language if it has one."""
            return link(localize(path))

        def absolute(path: str) -> str:
            """A site path as a full address, to its version in this output's language if it has one."""
            return urls.absolute(base_url, localize(path))

        def url_of(content: Page | FactCheck) -> str:
            """The site path of a page or fact check, as planned (plan.py)."""
            found = self.plan.address(content)
            if found is None:
                raise jinja2.TemplateError(f"url_of(): {content.path} is not a page of the site")
            return found

        def asset(path: str) -> str:
            """A file from static/css or static/js, by its name before fingerprinting."""
            if path not in self.plan.assets:
                raise jinja2.TemplateError(f"asset('{path}'): there is no static{path}")
            return link(self.plan.assets[path])

        versions = self.plan.versions(output)
        alternates = [Alternate(o.lang, self.catalogues.text(o.lang, "language.name"), link(o.url),
                                urls.absolute(base_url, o.url), o.translated) for o in versions]
        announced = {o.lang for o in self.plan.translations(output)}
        context = {
            "guide": guide,
            "config": guide.config,
            "timeline": self.timelines[output.lang],
            "output": output,
            "pages": guide.pages,
            "messages": guide.messages,
            "body": self.bodies.get(output.url, Markup("")),
            "t": self._translators[output.lang],
            "url": url,
            "absolute": absolute,
            "url_of": url_of,
            "asset": asset,
            "alternates": alternates,         # the language switcher: every version
            "hreflang": [a for a in alternates if a.lang in announced],
            "canonical": urls.absolute(base_url, self.plan.canonical(output).url),
            "footer": lambda: self._fragments.footer(output, context),
            # the living document (living.py)
            "clock": living.clock,
            "phase": living.clock.phase,
            "last_updated": living.last_updated,
            "updates": self.views.updates(living.updates),
            "sitemap": living.sitemap,
            "feed_updated": living.feed_updated,
            "day_start": living.day_start,
            "results": living.results,
            "phase_timeline": living.phase_timeline,
        }
        return context

    def render_all(self, outputs: list[Output], report_for, memo=None, history: History | None = None) -> dict[str, bytes]:
        """Render `outputs` ({file: bytes}); template failures become problems in `report_for(output)`.

        `memo(output, render)` may return a remembered rendering (see cache.py); `history`
        holds the git dates renderings read. Many outputs are rendered on every core
        (render_pool.py), and then `scanned` holds the links found in each."""
        self.history = history
        if worth_forking(len(outputs)):
            rendered, self.scanned = render_forked(self, outputs, report_for, memo)
            return rendered
        rendered = {}
        for output in outputs:
            rendered.update(self.render_one(output, report_for(output), memo))
        return rendered

    def render_one(self, output: Output, report: Report, memo=None) -> dict[str, bytes]:
        """{file: bytes} of one output, or {} with the template failure in `report`."""
        found = self.render_or_report(output, report, memo, self.render)
        return {} if found is None else {output.file: found}

    def render_or_report(self, output: Output, report: Report, memo, render) -> bytes | None:
        """`render(output)`, through `memo` if any; None with a template failure in `report`."""
        try:
            return render(output) if memo is None else memo(output, render)
        except jinja2.TemplateError as error:
            report.add(*self._template_location(error), f"template error while rendering {output.url}: "
                       f"{error.message or error}", "this is a template problem: see README.md, 'Templates'")
            return None

    def _template_location(self, error: jinja2.TemplateError) -> tuple[str, int, int]:
        if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
            return self._relative(error.filename), error.lineno or 0, 0
        for frame in reversed(traceback.extract_tb(sys.exc_info()[2])):
            if frame.filename.startswith(str(self.templates)):
                return self._relative(frame.filename), frame.lineno or 0, 0
        return "templates", 0, 0

    def _relative(self, filename: str) -> str:
        path = Path(filename)
        try:
            return "templates/" + path.resolve().relative_to(self.templates.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

