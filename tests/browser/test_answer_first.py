"""The answer first on a 360 px phone: on voting day the schedule's current stage is one tap
from the top and each stage's heading says its status; the report channels come before the
tips; the voting-day home page says "today is voting day" once and offers "Di mana TPS saya?";
the menu's labels are the pages' titles and the fact checks are in it."""
from __future__ import annotations

import datetime as dt
import re

import pytest

VOTING_DAY = "2024-02-14T09:00+07:00"   # the moment voting_day_site (tests/conftest.py) is built at
SCREEN = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=SCREEN, service_workers="block")
    tab = context.new_page()
    tab.clock.set_fixed_time(dt.datetime.fromisoformat(VOTING_DAY))    # read when built: no dated-copy notice
    yield tab
    context.close()


@pytest.mark.parametrize(("lang", "jump", "stage", "status"), [
    ("", "Langsung ke tahap sekarang: Pemungutan suara", "Pemungutan suara", "Sedang berlangsung"),
    ("en/", "Go to the current stage: Voting", "Voting", "Under way"),
])
def test_on_voting_day_the_current_stage_is_one_tap_from_the_top(phone, static_server, voting_day_site,
                                                                  lang, jump, stage, status):
    phone.goto(static_server(voting_day_site) + lang + "jadwal/")
    link = phone.get_by_role("link", name=jump, exact=True)
    assert link.bounding_box()["y"] < SCREEN["height"], "the jump link is not on the first screen"
    current = phone.get_by_role("heading", name=re.compile(rf"^{stage}\W+{status}\W*$"))
    assert current.count() == 1
    assert current.bounding_box()["y"] > 3 * SCREEN["height"]     # far down, past the finished stages
    link.click()
    assert 0 <= current.bounding_box()["y"] < SCREEN["height"] / 2
    # heading navigation hears every stage's status with its name
    names = phone.locator(".stage h2").all_inner_texts()
    assert len(names) > 15 and all(re.search(r"\(\s*(Selesai|Sedang berlangsung|Akan datang|Done|Under way|Upcoming)\s*\)$",
                                             name.strip()) for name in names), names


@pytest.mark.parametrize(("lang", "tips"), [("", "Yang perlu disertakan dalam laporan"),
                                            ("en/", "What to include in a report")])
def test_the_report_channels_come_before_the_tips(phone, static_server, voting_day_site, lang, tips):
    phone.goto(static_server(voting_day_site) + lang + "lapor-hoaks/")
    first_channel = phone.locator(".channels a").first
    assert first_channel.get_attribute("href") == "https://aduankonten.id"
    assert first_channel.bounding_box()["y"] < 1.5 * SCREEN["height"]
    assert first_channel.bounding_box()["y"] < phone.get_by_role("heading", name=tips).bounding_box()["y"]


@pytest.mark.parametrize(("lang", "today", "where"), [
    ("", "Hari ini hari pemungutan suara", "Di mana TPS saya?"),
    ("en/", "Today is voting day", "Where is my polling station?"),
])
def test_the_voting_day_home_page_says_it_once_and_offers_the_polling_station(phone, static_server, voting_day_site,
                                                                               lang, today, where):
    phone.goto(static_server(voting_day_site) + lang)
    text = phone.locator("body").inner_text()
    assert text.count(today) == 1, text
    assert phone.get_by_role("link", name=where).get_attribute("href") == "https://cekdptonline.kpu.go.id"
    assert phone.locator("a[href$='hari-pemungutan-suara.ics']").count() == 0
    # other pages keep the day's banner
    phone.goto(static_server(voting_day_site) + lang + "jadwal/")
    assert today in phone.locator(".banner").inner_text()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_menu_labels_are_the_titles_of_the_pages_they_open(browser, static_server, default_site, lang):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    base = static_server(default_site) + lang
    tab.goto(base)
    menu = [(link.inner_text().strip(), link.get_attribute("href")) for link in tab.locator(".site-header nav a").all()]
    assert any(href.endswith("cek-fakta/") for _, href in menu), "the fact checks are not in the menu"
    for label, href in menu[1:]:                       # the first is the home page, titled by the election
        tab.goto(base + href)
        title = tab.locator("h1").inner_text()
        assert set(label.lower().split()) <= set(title.lower().split()), f"menu '{label}' opens '{title}'"
    context.close()
