"""Issue 15, points 4 and 6: money entered as it happened and as boards write it."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from funding.models import Bid
from funding.money import parse_money, parse_savings
from funding.services import allocate_from_fund, change_bid_status, record_budget
from meetings.tests.factories import DecisionFactory

from .factories import BidFactory, BidLineFactory, FundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(board):
    return FundFactory(board=board, name="One Swindon Transformation Fund")


def test_it_reads_approximate_amounts_and_keeps_its_contract():
    assert parse_money("£25k") == 2_500_000
    assert parse_money("c£800k") == parse_money("circa £800k") == 80_000_000
    assert parse_money("approx. £1.2m") == 120_000_000


def test_it_reads_savings_as_bids_write_them():
    assert parse_savings("15-20%") == ("percent", 1500, 2000)
    assert parse_savings("up to £1m") == ("amount", None, 100_000_000)


def test_it_records_a_2013_budget_line_dated_naming_its_decision_approximate(
    client_for, secretary, board, fund
):
    decision = DecisionFactory(
        item__meeting__board=board,
        item__meeting__starts_at=dt.datetime(2013, 6, 4, 14, tzinfo=dt.UTC),
        text="The unspent £800k is to be redirected to the fund.",
    )
    response = client_for(secretary).post(
        reverse("funding:fund_record_line", args=[fund.pk]),
        {
            "kind": "budget",
            "amount": "c£800k",
            "entered_on": "2013-06-04",
            "purpose": "Redirected",
            "decision": decision.pk,
        },
        follow=True,
    )
    line = fund.entries.get()
    assert (line.entered_on, line.financial_year) == (dt.date(2013, 6, 4), 2013)
    assert line.decision == decision and line.approximate and line.amount == 80_000_000
    assert "c. £800k" in response.content.decode()


def test_it_dates_a_transfer_on_its_decisions_meeting(client_for, secretary, board, fund):
    record_budget(
        fund=fund, amount=10_000_000, financial_year=2013, entered_on=dt.date(2013, 4, 1)
    )
    other = FundFactory(board=board)
    decision = DecisionFactory(
        item__meeting__board=board,
        item__meeting__starts_at=dt.datetime(2013, 9, 10, 14, tzinfo=dt.UTC),
    )
    client_for(secretary).post(
        reverse("funding:fund_transfer", args=[fund.pk]),
        {"target": other.pk, "amount": "£10k", "purpose": "Move", "decision": decision.pk},
    )
    into = other.entries.get()
    assert (into.entered_on, into.decision) == (dt.date(2013, 9, 10), decision)


def test_it_counts_match_funding_before_warning_of_lines_over(client_for, member, board):
    bid = BidFactory(board=board, amount_sought=38_000_000, match_funding=10_000_000)
    for amount in (5_000_000, 7_000_000, 10_000_000, 10_000_000, 5_000_000, 10_000_000):
        BidLineFactory(bid=bid, amount=amount)  # £470k: the award's £370k and £100k matched
    body = client_for(member).get(bid.get_absolute_url()).content.decode()
    assert 'data-testid="lines-mismatch"' not in body


def test_it_keeps_a_bids_own_submission_and_award_dates(board):
    bid = BidFactory(board=board)
    change_bid_status(bid=bid, status="submitted", submitted_on=dt.date(2013, 10, 4))
    change_bid_status(
        bid=bid, status="awarded", amount_awarded=38_000_000, awarded_on=dt.date(2014, 1, 20)
    )
    bid = Bid.objects.get(pk=bid.pk)
    assert (bid.submitted_on, bid.awarded_on) == (dt.date(2013, 10, 4), dt.date(2014, 1, 20))


def test_it_shows_a_percentage_savings_estimate(client_for, secretary, board):
    bid = BidFactory(board=board)
    client = client_for(secretary)
    client.post(
        reverse("funding:bid_add_savings", args=[bid.pk]),
        {
            "theme": "Reshape adults demand",
            "financial_year": "2014/15",
            "to_year": "2016/17",
            "estimate": "15-20%",
        },
    )
    body = client.get(bid.get_absolute_url()).content.decode()
    assert "15-20% over 2014/15 to 2016/17" in body


def _release_a_2013_allocation_by_a_2014_decision(client, board, fund):
    record_budget(fund=fund, amount=10_000_000, financial_year=2013)
    allocating = DecisionFactory(
        item__meeting__board=board,
        item__meeting__starts_at=dt.datetime(2013, 6, 4, 14, tzinfo=dt.UTC),
        item__number="5",
        number=1,
    )
    allocation = allocate_from_fund(
        fund=fund, decision=allocating, amount=2_500_000, purpose="Toolkit"
    )
    redirecting = DecisionFactory(
        item__meeting__board=board,
        item__meeting__starts_at=dt.datetime(2014, 2, 11, 14, tzinfo=dt.UTC),
        item__number="7",
        number=2,
        text="The unspent £5k is to be redirected to the fund.",
    )
    url = reverse("funding:fund_release", args=[fund.pk, allocation.pk])
    offered = client.get(url).content.decode()
    assert f'<option value="{redirecting.pk}">' in offered  # the page offers the decision
    response = client.post(
        url,
        {"full": "1", "amount": "c£5k", "authorised_by": redirecting.pk},
        follow=True,
    )
    return response, fund.entries.get(kind="release"), redirecting


def test_the_release_page_records_the_decision_that_released_the_money(
    client_for, secretary, board, fund
):
    response, release, redirecting = _release_a_2013_allocation_by_a_2014_decision(
        client_for(secretary), board, fund
    )
    assert release.authorised_by == redirecting
    # Dated on the meeting that released it, not today; the allocation's year kept.
    assert (release.entered_on, release.financial_year) == (dt.date(2014, 2, 11), 2013)
    assert release.approximate and release.amount == 500_000
    text = re.sub(r"<[^>]+>", "", response.content.decode())  # as the reader sees it
    assert "Released by 11 Feb 2014, item 7 (2)" in text


def test_the_ledger_csv_says_which_lines_are_approximate_and_who_authorised_a_release(
    client_for, secretary, board, fund
):
    client = client_for(secretary)
    _release_a_2013_allocation_by_a_2014_decision(client, board, fund)
    response = client.get(reverse("funding:fund_csv", args=[fund.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    release = next(row for row in rows if row["Kind"] == "Release of unspent money")
    assert release["Approximate"] == "yes"
    assert release["Authorised by"].endswith(
        "11 February 2014, item 7 (2) The unspent £5k is to be redirected to the fund."
    )
    allocation = next(row for row in rows if row["Kind"] == "Allocation")
    assert (allocation["Approximate"], allocation["Authorised by"]) == ("", "")


def test_the_allocation_form_offers_only_this_partnerships_people_as_lead(
    client_for, secretary, board, fund, outsider
):
    decision = DecisionFactory(item__meeting__board=board)
    body = client_for(secretary).get(reverse("funding:allocate", args=[decision.pk]))
    assert secretary.display_name in body.content.decode()
    assert outsider.display_name not in body.content.decode()
