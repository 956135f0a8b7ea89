"""Addresses nobody can take over: base_url is a plain site address, static/ names are plain names.

(Pages and static files that claim an address the engine uses are broken-site cases:
tests/broken/page-takes-reserved-address and static-takes-reserved-address.)
Each case builds the good mini guide, breaks it, and checks the exact message, exit 1 and
that the previous site is byte for byte as it was.
"""
from __future__ import annotations

import shutil

import pytest

from panduan.i18n import KEY, PLACEHOLDER_NAME
from panduan.urls import UnsafeUrl, file_for
from sites import FIXTURES, NOW, assemble, run_build, tree_bytes

HINT_CHARACTER = "   hint: write the address as the browser's address bar shows it, e.g. https://pemilu.example/\n"
HINT_SHAPE = "   hint: a host name, then folder names each followed by one '/'\n"
BASE_URLS = [
    ("'https://x/\"><script>alert(1)</script>'",
     "base_url: the address has '\"' in it, which a site address may not contain\n" + HINT_CHARACTER),
    ('"https://x/\\u0007/"', "the text contains a control character (U+0007)\n"   # refused by the YAML loader
                             "   hint: remove it: it is invisible, and often comes from copying text out of "
                             "another program\n"),
    ("https://x/a<b/", "base_url: the address has '<' in it, which a site address may not contain\n" + HINT_CHARACTER),
    ("'https://user:secret@x/'", "base_url: the address has '@' in it, which a site address may not contain\n"
                                 + HINT_CHARACTER),
    ("https://x/?q=1", "base_url: the address has '?' in it, which a site address may not contain\n" + HINT_CHARACTER),
    ('"https://x/a b/"', "base_url: expected a full web address, got 'https://x/a b/'\n   hint: start it with https://\n"),
    ("javascript:alert(1)//", "base_url: expected a full web address, got 'javascript:alert(1)//'\n"
                              "   hint: start it with https://\n"),
    ("https://x//evil.example/", "base_url: expected the site's address such as https://pemilu.example/, "
                                 "got 'https://x//evil.example/'\n" + HINT_SHAPE),
    ("https://x/a/../", "base_url: expected the site's address such as https://pemilu.example/, got 'https://x/a/../'\n"
     + HINT_SHAPE),
    ("https://mini.example", "base_url: must end with '/'\n   hint: write https://mini.example/\n"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The good mini guide and its site, built once; each case breaks a copy."""
    folder = tmp_path_factory.mktemp("addresses")
    root = assemble(folder / "guide", FIXTURES / "mini")
    result = run_build(root, "--out", str(folder / "site"), "--now", NOW)
    assert result.returncode == 0, result.stderr
    return root, folder / "site"


def broken_build(built, tmp_path, change) -> str:
    good, site = built
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    out = tmp_path / "site"
    shutil.copytree(site, out)
    before = tree_bytes(out)
    change(root)
    result = run_build(root, "--out", str(out), "--now", NOW)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert tree_bytes(out) == before, "a failed build changed the published site"
    return result.stderr


@pytest.mark.parametrize("value, message", BASE_URLS, ids=[v for v, _ in BASE_URLS])
def test_base_url_is_a_plain_absolute_address(built, tmp_path, value, message):
    def change(root):
        settings = root / "guide.yaml"
        settings.write_text(settings.read_text(encoding="utf-8").replace(
            "base_url: https://mini.example/", f"base_url: {value}"), encoding="utf-8")
    line = next(n for n, text in enumerate((FIXTURES / "mini/guide.yaml").read_text().splitlines(), 1)
                if text.startswith("base_url:"))
    assert broken_build(built, tmp_path, change) == \
        f"The guide was not built: 1 problem to fix.\n1. guide.yaml:{line}:11: {message}"


def test_base_url_with_a_port_and_folder_is_used_escaped_everywhere(tmp_path):
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    settings = root / "guide.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "base_url: https://mini.example/", "base_url: https://mini.example:8443/pemilu~2024/"), encoding="utf-8")
    result = run_build(root, "--now", NOW)
    assert result.returncode == 0, result.stderr
    site = root / "_site"
    assert '<script src="/pemilu~2024/js/offline.' in (site / "404.html").read_text(encoding="utf-8")
    assert "<loc>https://mini.example:8443/pemilu~2024/jadwal/</loc>" in (site / "sitemap.xml").read_text()
    assert "Sitemap: https://mini.example:8443/pemilu~2024/sitemap.xml" in (site / "robots.txt").read_text()


ODD_NAMES = [
    ("peta.", "static/img/peta.: the name 'peta.' starts or ends with a dot or a space"),
    ("peta ", "static/img/peta : the name 'peta ' starts or ends with a dot or a space"),
    ("...", "static/img/...: the name '...' starts or ends with a dot or a space"),
    (".rahasia", "static/img/.rahasia: the name '.rahasia' starts or ends with a dot or a space"),
]


@pytest.mark.parametrize("name, message", ODD_NAMES, ids=[n for n, _ in ODD_NAMES])
def test_static_names_a_host_could_change_are_problems(built, tmp_path, name, message):
    assert broken_build(built, tmp_path, lambda root: (root / "static/img" / name).write_bytes(b"x")) == (
        f"The guide was not built: 1 problem to fix.\n1. {message}\n"
        "   hint: web hosts hide or change such names; rename the file\n")


def test_static_html_listed_in_guide_yaml_is_published_as_it_is(tmp_path):
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    page = b"<!doctype html><title>google-site-verification</title>\n"
    (root / "static/google1234.html").write_bytes(page)
    with (root / "guide.yaml").open("a", encoding="utf-8") as settings:
        settings.write("static_html: [static/google1234.html]\n")
    result = run_build(root, "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert (root / "_site/google1234.html").read_bytes() == page


def test_static_html_must_name_an_html_file_under_static(built, tmp_path):
    def change(root):
        with (root / "guide.yaml").open("a", encoding="utf-8") as settings:
            settings.write("static_html:\n  - static/hilang.html\n  - static/img/ikon.svg\n")
    line = len((FIXTURES / "mini/guide.yaml").read_text(encoding="utf-8").splitlines()) + 2
    hint = "   hint: write its path as the problem list names it, e.g. static/google1234.html, or remove it\n"
    assert broken_build(built, tmp_path, change) == (
        "The guide was not built: 2 problems to fix.\n"
        f"1. guide.yaml:{line}: static_html: static/hilang.html is not an HTML file under static/\n" + hint +
        f"2. guide.yaml:{line + 1}: static_html: static/img/ikon.svg is not an HTML file under static/\n" + hint)


@pytest.mark.parametrize("url", ["/a/\n", "/jadwal\n", "/../x/", "/A/"])
def test_an_address_ending_in_a_newline_or_leaving_the_site_is_refused(url):
    """`$` would match before a final newline, and a file name with one is not an address."""
    with pytest.raises(UnsafeUrl):
        file_for(url)


@pytest.mark.parametrize("text", ["title\n", "ti tle"])
def test_an_interface_key_ending_in_a_newline_is_not_a_key(text):
    assert not KEY.match(text) and not PLACEHOLDER_NAME.match(text)
