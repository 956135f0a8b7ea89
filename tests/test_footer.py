"""The footer lists a handful of pages, never all of a large guide's (that would make
every page carry every page: a site growing with the square of its pages)."""
from __future__ import annotations

import re

from sites import NOW, run_build


def test_footer_lists_twelve_pages_and_links_to_all(mini, tmp_path):
    pages = mini / "content" / "pages"
    for number in range(1, 11):
        (pages / f"tambahan-{number:02}.md").write_text(
            f"---\ntitle: Tambahan {number}\nsummary: Halaman tambahan.\norder: {10 + number}\n---\nIsi.\n",
            encoding="utf-8")
    result = run_build(mini, "--out", str(tmp_path / "site"), "--now", NOW)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "jadwal" / "index.html").read_text(encoding="utf-8")
    footer = html[html.index("<footer"):]
    assert "Tambahan 8" in footer and "Tambahan 9" not in footer      # the 4 mini pages + 8
    assert re.search(r'<a href="\.\./cari/">Semua 14 halaman</a>', footer)
    search = (tmp_path / "site" / "cari" / "index.html").read_text(encoding="utf-8")
    assert "Tambahan 10" in search                                     # where every page is listed
