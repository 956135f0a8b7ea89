"""A deterministic benchmark guide: the real guide plus N generated pages.

    python bench/corpus.py DIR --pages 5000 [--seed 1]

The guide's own templates, static files, settings, interface text (i18n/) and
data files are copied;
`content/sources.yaml` gains one generated source per ten pages, and
`content/pages/` gains N Markdown pages with front matter that cite those
sources, link to each other and to built-in pages. The same N and seed give
the same bytes.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = ("pemilu suara pemilih tps kpu bawaslu calon partai surat kotak coblos sah hari tanggal daftar "
         "tahapan kampanye hoaks lapor sumber data warga desa kota provinsi nasional hasil rekapitulasi "
         "saksi petugas kartu identitas undangan antre bilik tinta jari").split()


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def page_text(index: int, pages: int, rng: random.Random) -> str:
    """One generated page: front matter, a few sections, links to neighbours."""
    source = f"bench-source-{index // 10:05d}"
    other = f"halaman-{(index * 7 + 3) % pages:05d}.md"
    lines = ["---", f"title: Halaman Uji {index:05d}", f"summary: {_sentence(rng, 10)}",
             f"order: {100 + index}", f"sources: [{source}]", "---"]
    for section in range(3):
        lines += ["", f"## Bagian {section + 1}", "",
                  " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(4))]
    lines += ["", f"Lihat juga [halaman lain]({other}) dan [jadwal](/jadwal/).",
              "", "- " + _sentence(rng, 6), "- " + _sentence(rng, 6), ""]
    return "\n".join(lines)


def sources_text(pages: int) -> str:
    lines = []
    for group in range((pages + 9) // 10):
        lines += [f"  - id: bench-source-{group:05d}", f"    title: Dokumen Uji {group}",
                  "    publisher: Panduan Bench", f"    url: https://example.org/dokumen/{group}",
                  "    date: 2023-07-02"]
    return "\n".join(lines) + "\n"


def generate(target: Path, pages: int, seed: int = 1) -> Path:
    """Write the corpus into `target` (which must not exist yet)."""
    rng = random.Random(seed)
    target.mkdir(parents=True)
    shutil.copytree(REPO / "templates", target / "templates")
    shutil.copytree(REPO / "static", target / "static")
    shutil.copy(REPO / "guide.yaml", target / "guide.yaml")
    shutil.copytree(REPO / "content", target / "content")
    shutil.copytree(REPO / "i18n", target / "i18n")
    sources = target / "content" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").rstrip("\n") + "\n" + sources_text(pages),
                       encoding="utf-8")
    folder = target / "content" / "pages"
    for index in range(pages):
        (folder / f"halaman-{index:05d}.md").write_text(page_text(index, pages, rng), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("target", type=Path)
    args.add_argument("--pages", type=int, default=1000)
    args.add_argument("--seed", type=int, default=1)
    options = args.parse_args(argv)
    generate(options.target, options.pages, options.seed)
    print(f"{options.pages} pages written to {options.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
