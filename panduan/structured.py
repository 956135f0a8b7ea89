"""Structured data: schema.org JSON-LD that search engines and fact-check tools read.

Four kinds: voting day as an `Event` (home page), a page whose layout is
`faq` as a `FAQPage` (each `##` heading a question, the text under it the
answer), every fact check as a `ClaimReview`, and a page showing the official
results as a `Dataset` citing its sources. The data is built here as
plain Python values and serialised with `json.dumps`; `script()` embeds it so
that no content can end the script element: `<`, `>` and `&` are written as
JSON escapes (\\u003c ...), which JSON readers decode back to the same text.

Words the public reads (a verdict's name, the place of voting) come from the
templates, so each language can give its own.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from markupsafe import Markup

from .model import Config, FactCheck
from .schema import VERDICTS

CONTEXT = "https://schema.org"
# ClaimReview ratings: 1 (false) to 4 (true), the verdict's own name beside it.
RATING = {"hoaks": 1, "salah": 1, "menyesatkan": 2, "sebagian-benar": 3, "benar": 4}
assert set(RATING) == set(VERDICTS), "every verdict needs a rating"
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def script(data: dict) -> Markup:
    """A <script type="application/ld+json"> element that content cannot break out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = re.sub(r"[<>&]", lambda match: _ESCAPES[match.group()], text)
    return Markup(f'<script type="application/ld+json">{text}</script>')


def _organisation(config: Config) -> dict:
    return {"@type": "Organization", "name": config.title, "url": config.base_url}


def voting_event(config: Config, url: str, description: str, place: str) -> dict:
    """Voting day: one day, in person, at polling stations across the country."""
    election = config.election
    day = election.voting_day.isoformat()
    return {
        "@context": CONTEXT, "@type": "Event",
        "name": election.name,
        "description": description,
        "startDate": day, "endDate": day,
        "eventStatus": f"{CONTEXT}/EventScheduled",
        "eventAttendanceMode": f"{CONTEXT}/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": place,
                     "address": {"@type": "PostalAddress", "addressCountry": "ID"}},
        "organizer": {"@type": "Organization", "name": election.source.publisher},
        "url": url,
    }


def claim_review(config: Config, check: FactCheck, url: str, verdict_name: str, dated: bool = True) -> dict:
    """`dated`: whether the copy may show the check's date (phases.Clock.knows)."""
    claim: dict = {"@type": "Claim"}
    if check.appeared_on:
        claim["datePublished"] = check.appeared_on.isoformat()
    if check.appeared_in:
        claim["appearance"] = {"@type": "CreativeWork", "description": check.appeared_in}
    review = {
        "@context": CONTEXT, "@type": "ClaimReview",
        "url": url,
        "claimReviewed": check.claim,
        "inLanguage": check.lang,     # of the review's text: an entry shown untranslated keeps its own
        "datePublished": check.checked.isoformat(),
        "author": _organisation(config),
        "reviewRating": {"@type": "Rating", "ratingValue": RATING[check.verdict], "worstRating": 1,
                         "bestRating": max(RATING.values()), "alternateName": verdict_name},
        "itemReviewed": claim,
    }
    if not dated:
        del review["datePublished"]
    return review


def dataset(results, name: str, description: str, url: str) -> dict:
    """The official results as a `Dataset`: what they are, when they became official, their sources."""
    sources = []
    for citation in (results.source, results.presidential_source, results.dpr_source, results.seats_source,
                     *(t.source for t in results.turnout)):
        if citation is not None and citation not in sources:
            sources.append(citation)
    return {
        "@context": CONTEXT, "@type": "Dataset",
        "name": name,
        "description": description,
        "url": url,
        "datePublished": results.official_at.date().isoformat(),
        "temporalCoverage": str(results.official_at.year),
        "spatialCoverage": {"@type": "Country", "name": "Indonesia"},
        "creator": {"@type": "Organization", "name": results.source.publisher},
        "isBasedOn": [{"@type": "CreativeWork", "name": c.title, "publisher": c.publisher,
                       **({"url": c.url} if c.url else {}), **({"datePublished": c.date.isoformat()} if c.date else {})}
                      for c in sources],
    }


def faq_page(body: str) -> dict | None:
    """FAQPage from a page's HTML: each <h2> a question, what follows it the answer."""
    pairs = _Sections().split(body)
    if not pairs:
        return None
    return {
        "@context": CONTEXT, "@type": "FAQPage",
        "mainEntity": [{"@type": "Question", "name": question,
                        "acceptedAnswer": {"@type": "Answer", "text": answer}} for question, answer in pairs],
    }


class _Sections(HTMLParser):
    """Splits sanitised page HTML into (h2 text, plain text up to the next h2)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: list[list[str]] = []
        self.in_heading = False

    def split(self, html: str) -> list[tuple[str, str]]:
        self.feed(html)
        self.close()
        tidy = lambda text: re.sub(r"\s+", " ", text).strip()  # noqa: E731
        return [(tidy(q), tidy(a)) for q, a in self.pairs if tidy(q) and tidy(a)]

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.pairs.append(["", ""])
            self.in_heading = True
        elif tag in ("p", "li", "br", "h3", "h4", "tr") and self.pairs and not self.in_heading:
            self.pairs[-1][1] += " "

    def handle_endtag(self, tag):
        if tag == "h2":
            self.in_heading = False

    def handle_data(self, data):
        if self.pairs:
            self.pairs[-1][0 if self.in_heading else 1] += data
