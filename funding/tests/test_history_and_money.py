"""Issue 15, points 4 and 6: money entered as it happened and as boards write it."""

import datetime as dt

import pytest
from django.urls import reverse

from funding.models import Bid
from funding.money import parse_money, parse_savings
from funding.services import change_bid_status, record_budget
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
