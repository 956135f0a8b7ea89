"""The countdown is right in the built HTML, and the optional script keeps it right later."""
from __future__ import annotations

import datetime as dt

import pytest



@pytest.fixture
def built(default_site):
    return default_site


def countdown(browser, base: str, moment: str | None, javascript: bool = True) -> str:
    context = browser.new_context(java_script_enabled=javascript)
    tab = context.new_page()
    if moment:
        tab.clock.set_fixed_time(dt.datetime.fromisoformat(moment))
    tab.goto(base)
    text = " ".join(tab.locator("#hitung-mundur").inner_text().split())
    context.close()
    return text


def test_without_javascript_the_built_countdown_stays(browser, static_server, built):
    assert countdown(browser, static_server(built), "2024-02-10T10:00+07:00", javascript=False) == \
        "35 hari lagi menuju hari pemungutan suara."


@pytest.mark.parametrize("moment,expected", [
    ("2024-01-10T10:00+07:00", "35 hari lagi menuju hari pemungutan suara."),
    ("2024-01-12T23:30+07:00", "33 hari lagi menuju hari pemungutan suara."),
    ("2024-02-13T18:00+07:00", "Besok hari pemungutan suara. Siapkan undangan memilih dan KTP elektronik Anda."),
    ("2024-02-14T00:30+07:00", "Hari ini hari pemungutan suara. Datang ke TPS Anda dan gunakan hak pilih."),
    ("2024-02-13T23:30+05:00", "Hari ini hari pemungutan suara. Datang ke TPS Anda dan gunakan hak pilih."),
    ("2024-02-20T10:00+07:00", "Hari pemungutan suara sudah lewat. Lihat tahapan berikutnya di halaman Jadwal."),
])
def test_the_script_counts_days_in_the_guides_time_zone(browser, static_server, built, moment, expected):
    assert countdown(browser, static_server(built), moment) == expected


@pytest.mark.parametrize("moment,expected", [
    ("2024-01-12T23:30+07:00", "33 days to go until voting day."),
    ("2024-02-13T18:00+07:00", "Tomorrow is voting day. Have your voting invitation and electronic ID card (KTP) ready."),
    ("2024-02-20T10:00+07:00", "Voting day has passed. See the next stages on the Schedule page."),
])
def test_the_script_writes_the_english_page_in_english(browser, static_server, built, moment, expected):
    assert countdown(browser, static_server(built) + "en/", moment) == expected

