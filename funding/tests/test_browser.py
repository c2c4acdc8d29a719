import datetime as dt

import pytest

from conftest import axe_violations
from funding.services import record_budget
from meetings.tests.factories import DecisionFactory

from .factories import FundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lets_the_secretary_allocate_from_a_decision_and_see_the_fund_change(
    page, sign_in, live_server, board, secretary
):
    fund = FundFactory(board=board, name="One Swindon Transformation Fund")
    record_budget(
        fund=fund, amount=25_000_000, financial_year=2013, entered_on=dt.date(2013, 4, 1)
    )
    decision = DecisionFactory(
        item__meeting__board=board,
        item__meeting__starts_at=dt.datetime(2014, 3, 18, 14, tzinfo=dt.UTC),
        item__title="Neighbourhood planning",
        text="The Board agreed to fund £25k from the One Swindon Transformation Fund.",
    )
    sign_in(secretary)
    page.goto(f"{live_server.url}/funding/funds/{fund.pk}/")
    assert page.get_by_test_id("available").inner_text() == "£250k"

    page.goto(f"{live_server.url}/funding/decisions/{decision.pk}/allocate/")
    assert page.get_by_label("Amount").input_value() == "£25,000"  # offered from the text
    page.get_by_label("Amount").fill("£300k")
    page.get_by_label("Purpose").fill("Consultant for a neighbourhood planning toolkit")
    page.get_by_role("button", name="Record allocation").click()
    # Too much: refused with the figures, and what was typed is still there.
    # Said beside the field and, linked to it, in the error summary at the top (issue 20).
    assert page.locator("strong", has_text="has £250,000 available").is_visible()
    assert page.get_by_role("link", name="Amount: One Swindon").is_visible()
    assert page.get_by_label("Purpose").input_value().startswith("Consultant")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 800, "height": 900})
    page.screenshot(path="/tmp/funding_browser_refused_800.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Amount").fill("£25k")
    page.get_by_role("combobox", name="Lead person").fill("Sam Sec")
    page.get_by_role("option", name="Sam Secretary").click()
    page.get_by_role("button", name="Record allocation").click()
    line = fund.entries.allocations().get()
    page.wait_for_url(f"{live_server.url}/funding/funds/{fund.pk}/#line-{line.pk}")
    assert page.get_by_test_id("available").inner_text() == "£225k"
    row = page.get_by_role("row").filter(has_text="Consultant for a neighbourhood planning")
    assert "£25,000" in row.inner_text() and "lead Sam Secretary" in row.inner_text()
    assert row.get_by_role("link", name="18 Mar 2014").is_visible()
    assert page.get_by_role("img", name="One Swindon Transformation Fund: available").is_visible()
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/funding_browser_fund_1280.png", full_page=True)


def test_it_shows_the_funds_panel_on_the_board_page(page, sign_in, live_server, board, member):
    fund = FundFactory(board=board, name="One Swindon Transformation Fund")
    record_budget(fund=fund, amount=25_000_000, financial_year=2013)
    sign_in(member)
    page.goto(f"{live_server.url}/boards/{board.slug}/")
    panel = page.locator("#funds-panel")
    panel.get_by_role("link", name="One Swindon Transformation Fund").wait_for()
    assert "£250k" in panel.inner_text()
    assert axe_violations(page) == []
