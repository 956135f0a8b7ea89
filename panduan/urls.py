"""URLs: where each output lives and how pages link to each other.

Pages live at pretty URLs (`/jadwal/` is written to `jadwal/index.html`) and
link to each other with relative URLs, so the site works under any base path,
from any static host, and when saved for offline reading.
"""
from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

# Folders each end in one '/', the last name may not: one way to match any address, so a long
# hostile one (the preview server reads them from anyone) fails in linear time, not exponential.
SAFE_URL = re.compile(r"^/(?:[a-z0-9][a-z0-9._-]*/)*(?:[a-z0-9][a-z0-9._-]*)?\Z")


class UnsafeUrl(ValueError):
    pass


def page_url(slug: str) -> str:
    return f"/{slug}/"


def file_for(url: str) -> str:
    """The output file of a site URL, relative to the output directory.

    Refuses anything that could escape the output directory or is not a plain
    lowercase path, so no content can make the build write elsewhere.
    """
    if not SAFE_URL.match(url) or any(part in (".", "..") for part in url.split("/")):
        raise UnsafeUrl(f"'{url}' is not a safe site address")
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path


def folder(url: str) -> str:
    """The folder relative links from the file at `url` start at: /a/ for /a/ and /a/b.html, and
    "/" for a file at the root such as /sw.js (not "//", which relpath and normpath keep)."""
    return url if url.endswith("/") else posixpath.dirname(url).rstrip("/") + "/"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` (both site paths)."""
    target, hash_, fragment = to_url.partition("#")
    base = folder(from_url)
    link = _relpath(target, base)
    if target.endswith("/") and link != ".":
        link += "/"
    elif link == ".":
        link = "./"
    return link + hash_ + fragment


def _relpath(target: str, base: str) -> str:
    """posixpath.relpath for clean site paths, without its costly normalising (every page
    links to every other page in the footer, so this runs N*N times); odd paths take relpath."""
    if "/." in target or "/." in base or "//" in target or "//" in base or not target.startswith("/"):
        return posixpath.relpath(target, base)
    base_parts = base.strip("/").split("/") if base.strip("/") else []
    target_parts = target.strip("/").split("/") if target.strip("/") else []
    common = 0
    for mine, theirs in zip(base_parts, target_parts):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(base_parts) - common) + target_parts[common:]) or "."


def absolute(base_url: str, url: str) -> str:
    """A full address for feeds, sitemaps and canonical links."""
    return base_url.rstrip("/") + url


def rooted(base_url: str, url: str) -> str:
    """A link that works from any address on the site, e.g. /pemilu/jadwal/."""
    return urlsplit(base_url).path.rstrip("/") + url
