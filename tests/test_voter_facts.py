"""Issue 10, sections 2 and 3, on the real guide as built: the corrected facts appear on the
pages voters read, with their sources, and every voter's situation has its own page in
both languages, linked from the home page and the how-to-vote page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sites import REPO, run_build

SITUATIONS = ("tidak-terdaftar", "pindah-memilih", "pemilih-disabilitas", "pemilih-luar-negeri", "antre-sebelum-13")
# the official rule and KPU's own word for each situation, listed under the page
SITUATION_SOURCES = {
    "tidak-terdaftar": {"pkpu-25-2023", "kpu-pemilih-dpk"},
    "pindah-memilih": {"pkpu-7-2022", "kpu-pindah-memilih"},
    "pemilih-disabilitas": {"uu-7-2017", "kpu-pemilih-disabilitas"},
    "pemilih-luar-negeri": {"kpu-pemilu-luar-negeri"},
    "antre-sebelum-13": {"pkpu-25-2023"},
}


def text(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def every_page(site: Path):
    return sorted(site.rglob("*.html"))


@pytest.fixture(scope="module")
def voting_day(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("voting-day") / "site"
    result = run_build(REPO, "--out", str(out), "--now", "2024-02-14T08:00+07:00", "--strict")
    assert result.returncode == 0, result.stderr
    return out


def ticket_terms(page: str) -> dict[int, dict[str, list[int]]]:
    """Per ticket number: each <dt> label -> the party numbers named in its <dd>."""
    found = {}
    for number, body in re.findall(r'<li id="paslon-(\d+)">(.*?)</li>', page, re.S):
        found[int(number)] = {
            label: [int(n) for n in re.findall(r'#partai-(\d+)"', value)]
            for label, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", body)}
    return found


@pytest.mark.parametrize("prefix, nominating, supporting", [
    ("", "Partai pengusung", "Partai pendukung (tidak mengusung secara resmi)"),
    ("en/", "Nominating parties (pengusung)", "Supporting parties (pendukung; not formal nominators)"),
])
def test_tickets_list_kpus_nominating_parties_and_supporters_apart(default_site, prefix, nominating, supporting):
    page = html(default_site, f"{prefix}paslon/index.html")
    tickets = ticket_terms(page)
    assert {number: terms[nominating] for number, terms in tickets.items()} == {
        1: [1, 5, 8], 2: [2, 4, 12, 14, 13, 15, 11], 3: [3, 10, 16, 17]}
    # new parties could not nominate: they appear only as supporters, each with its own source
    assert tickets[1][supporting] == [24] and tickets[2][supporting] == [7] and supporting not in tickets[3]
    assert 'href="../sumber/#era-ummat-dukung-anies"' in page.replace('href="../../', 'href="../')
    assert "kompas-gelora-dukung-prabowo" in page


def test_2019_turnout_is_of_the_dpt_and_the_wrong_note_is_gone(default_site):
    home = text(default_site, "index.html")
    assert "81,97%" in home and "158.012.506 dari 192.770.611" in home
    assert "81.97%" in text(default_site, "en/index.html")
    why = text(default_site, "mengapa-memilih/index.html")
    assert "81,97%" in why and "81,69%" in why
    for page in every_page(default_site):
        body = page.read_text(encoding="utf-8")
        assert "199,99" not in body and "199.99" not in body, page


@pytest.mark.parametrize("page, words", [
    ("cara-mencoblos/index.html", "Kelima surat suara harus sudah ditandatangani Ketua KPPS"),
    ("cetak/index.html", "Kelima surat suara harus sudah ditandatangani Ketua KPPS"),
    ("tanya-jawab/index.html", "Kelima surat suara juga harus sudah ditandatangani Ketua KPPS"),
    ("cek-fakta/surat-suara-tanpa-tanda-tangan/index.html", "Kelima surat suara"),
    ("en/cara-mencoblos/index.html", "All five ballots must already be signed"),
    ("en/cetak/index.html", "All five ballots must already be signed"),
    ("en/tanya-jawab/index.html", "All five ballots must also be signed"),
    ("en/cek-fakta/surat-suara-tanpa-tanda-tangan/index.html", "All five ballots"),
])
def test_kpps_signature_is_required_on_all_five_ballots(default_site, page, words):
    assert words in text(default_site, page)
    assert "Surat suara presiden harus sudah ditandatangani" not in text(default_site, page)


def test_voting_day_message_names_all_five_ballots_and_finds_the_tps(voting_day):
    for prefix, signed, where in (("", "Kelima surat suara harus sudah ditandatangani Ketua KPPS",
                                   "Di mana TPS saya?"),
                                  ("en/", "All five ballots must already be signed", "Where is my polling station?")):
        home = html(voting_day, f"{prefix}index.html")
        assert signed in text(voting_day, f"{prefix}index.html")
        assert f'<a class="button" href="https://cekdptonline.kpu.go.id">{where}</a>' in home


def test_golput_is_no_crime_but_buying_abstention_is_citing_the_law(default_site):
    for prefix, words in (("", ("Pasal 515", "penjara paling lama 3 tahun", "Rp36 juta")),
                          ("en/", ("Article 515", "up to 3 years in prison", "Rp36 million"))):
        page = html(default_site, f"{prefix}cek-fakta/golput-dipenjara/index.html")
        assert all(word in text(default_site, f"{prefix}cek-fakta/golput-dipenjara/index.html") for word in words)
        assert "sumber/#uu-7-2017" in page and "infopublik-suara-sah" not in page
    for slug in ("surat-suara-tanpa-tanda-tangan", "coblos-partai-saja", "coblos-calon-dua-partai"):
        page = html(default_site, f"cek-fakta/{slug}/index.html")
        assert "sumber/#pkpu-25-2023" in page and "infopublik-suara-sah" not in page, slug
    assert "Pasal 515" in text(default_site, "tanya-jawab/index.html")
    assert "memberi atau menjanjikan uang supaya orang tidak memilih adalah tindak pidana" in text(default_site, "cetak/index.html")


def test_both_stages_of_the_parties_are_shown(default_site):
    schedule = text(default_site, "jadwal/index.html")
    assert "KPU menetapkan 17 partai politik nasional dan 6 partai politik lokal Aceh" in schedule
    assert "Partai Ummat ditetapkan sebagai peserta pemilu" in schedule and "nomor urut 24" in schedule
    faq = text(default_site, "en/tanya-jawab/index.html")
    assert "14 December 2022" in faq and "30 December 2022" in faq
    assert "17 partai pada 14 Desember 2022" in text(default_site, "index.html")


def test_seats_debates_and_hours_cite_the_documents_that_set_them(default_site):
    home = html(default_site, "index.html")
    seats = re.search(r"580.*?</", home, re.S)
    assert seats and 'sumber/#perppu-1-2022' in home[seats.start():seats.start() + 800]
    voting_line = re.search(r'<p class="voting-day">.*?</p>', home, re.S).group(0)
    assert "sumber/#pkpu-25-2023" in voting_line
    schedule = html(default_site, "jadwal/index.html")
    for debate in re.findall(r'<li[^>]*id="debat-[^"]+".*?</li>', schedule, re.S):
        assert "sumber/#kpu-jadwal-debat" in debate and "#pkpu-3-2022" not in debate
    assert schedule.count("sumber/#kpu-jadwal-debat") >= 5


def test_same_party_candidates_punch_is_valid(default_site):
    assert "dua calon atau lebih dari partai yang sama" in text(default_site, "cara-mencoblos/index.html")
    assert "two or more candidates from the same party" in text(default_site, "en/cara-mencoblos/index.html")


def test_unsourced_figure_and_phone_number_are_gone(default_site):
    for page in every_page(default_site):
        body = page.read_text(encoding="utf-8")
        assert "811-9224-545" not in body and "8119224545" not in body, page
        assert "902" not in text(default_site, str(page.relative_to(default_site))).replace("2024", ""), page


@pytest.mark.parametrize("slug, words_id, words_en", [
    ("tidak-terdaftar", ("e-KTP", "12.00 sampai 13.00", "selama surat suara di TPS itu masih ada"),
     ("e-KTP", "between 12.00 and 13.00", "as long as the polling station still has ballots")),
    ("pindah-memilih", ("15 Januari 2024", "7 Februari 2024", "mulai pukul 11.00", "Model A"),
     ("15 January 2024", "7 February 2024", "from 11.00", "Model A")),
    ("pemilih-disabilitas", ("braille", "boleh dibantu orang lain", "wajib merahasiakan pilihan Anda"),
     ("braille", "may be helped by another person", "must keep your choice secret")),
    ("pemilih-luar-negeri", ("antara 5 dan 14 Februari 2024", "kotak suara keliling", "pos"),
     ("between 5 and 14 February 2024", "mobile ballot box", "by post")),
    ("antre-sebelum-13", ("Anda tetap memilih", "sebelum pukul 13.00"),
     ("You still vote", "before 13.00")),
])
def test_every_voter_situation_has_a_sourced_page_in_both_languages(default_site, slug, words_id, words_en):
    for prefix, words in (("", words_id), ("en/", words_en)):
        page = text(default_site, f"{prefix}{slug}/index.html")
        for word in words:
            assert word in page, (prefix, slug, word)
        sources = set(re.findall(r'href="[./]*sumber/#([a-z0-9-]+)"', html(default_site, f"{prefix}{slug}/index.html")))
        assert SITUATION_SOURCES[slug] <= sources, (prefix, slug, sources)


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_voter_situations_are_linked_from_home_and_how_to_vote(default_site, prefix):
    for page in (f"{prefix}index.html", f"{prefix}cara-mencoblos/index.html"):
        main = re.search(r"<main.*?</main>", html(default_site, page), re.S).group(0)   # not the footer's list
        links = set(re.findall(r'href="([^"]+)"', main))
        for slug in SITUATIONS:
            assert any(re.fullmatch(rf"(\.\./)*{slug}/", link) for link in links), (page, slug)
