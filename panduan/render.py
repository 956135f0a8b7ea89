"""Render: each planned output to bytes through the Jinja templates.

One `Environment` per build: autoescape on for every template, undefined
names are errors, and locale-aware filters (Babel) for dates and numbers.
Templates receive typed objects (the `Guide`, the `Timeline`, the `Output`
being rendered) and a `url()` helper that turns a site path into a link
relative to the current page. A broken template is reported like a content
problem, with the template's file and line.
"""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from . import urls
from .model import Guide
from .plan import Output, Plan
from .problems import Report
from .timeline import Timeline


def _number(value, locale: str) -> str:
    if isinstance(value, str):
        return value
    return format_decimal(value, locale=locale)


def environment(templates: Path, locale: str, bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,   # watch mode keeps compiled templates between builds
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_long"] = lambda day: format_date(day, "d MMMM y", locale=locale)
    env.filters["date_full"] = lambda day: format_date(day, "EEEE, d MMMM y", locale=locale)
    env.filters["date_short"] = lambda day: format_date(day, "d MMM y", locale=locale)
    env.filters["number"] = lambda value: _number(value, locale)
    return env


class Renderer:
    def __init__(self, templates: Path, guide: Guide, timeline: Timeline, plan: Plan,
                 bodies: dict[str, Markup], bytecode_cache: jinja2.BytecodeCache | None = None):
        self.templates = templates
        self.env = environment(templates, guide.config.language, bytecode_cache)
        self.guide, self.timeline, self.plan, self.bodies = guide, timeline, plan, bodies

    def render(self, output: Output) -> bytes:
        def url(path: str) -> str:
            if output.rooted_links:
                return urls.rooted(self.guide.config.base_url, path)
            return urls.relative(output.url, path)

        context = {
            "guide": self.guide,
            "config": self.guide.config,
            "timeline": self.timeline,
            "output": output,
            "pages": self.guide.pages,
            "body": self.bodies.get(output.url, Markup("")),
            "url": url,
            "canonical": urls.absolute(self.guide.config.base_url, output.url),
        }
        html = self.env.get_template(output.template).render(context)
        return html.encode("utf-8")

    def render_all(self, report: Report, memo=None) -> dict[str, bytes]:
        """Render every output; template failures become problems.

        `memo(output, timeline, render)` may return a remembered rendering (see cache.py)."""
        rendered = {}
        for output in self.plan.outputs:
            try:
                if memo is None:
                    rendered[output.file] = self.render(output)
                else:
                    rendered[output.file] = memo(output, self.timeline, self.render)
            except jinja2.TemplateError as error:
                report.add(*self._template_location(error), f"template error while rendering {output.url}: "
                           f"{error.message or error}", "this is a template problem: see README.md, 'Templates'")
        return rendered

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

