"""Searching and following a matter, in Chromium, as a member and a secretary would."""

import pytest
from playwright.sync_api import expect

from conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_searches_from_the_navbar_and_lands_on_the_item(
    page, sign_in, live_server, member, record
):
    sign_in(member)
    search_box = page.get_by_role("searchbox", name="Search the minutes")
    search_box.fill("sharing")
    search_box.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("for “sharing”")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Data sharing protocol").first.click()
    expect(page).to_have_url(
        f"{live_server.url}{record['data_item'].meeting.get_absolute_url()}#item-{record['data_item'].pk}"
    )


def test_a_member_narrows_the_search_to_decisions(page, sign_in, live_server, member, record):
    sign_in(member)
    page.goto(f"{live_server.url}/search/?q=protocol")
    page.get_by_label("Decisions").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("1 result")
    expect(page.locator(".search-hit")).to_contain_text("To adopt the information protocol.")


def test_a_secretary_links_a_matter_to_an_earlier_meeting(
    page, sign_in, live_server, secretary, record
):
    sign_in(secretary)
    page.goto(f"{live_server.url}/search/items/{record['data_item'].pk}/thread/")
    assert axe_violations(page) == []
    page.get_by_label("Follows the earlier item").select_option(str(record["mention"].pk))
    page.get_by_role("button", name="Save link").click()
    expect(page.get_by_text("The thread is updated.")).to_be_visible()
    expect(page.get_by_role("heading", name="Honda update")).to_be_visible()
