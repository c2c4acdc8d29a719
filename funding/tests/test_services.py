import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from funding.models import Bid, FundEntry
from funding.services import (
    FundingError,
    InsufficientFunds,
    allocate_from_fund,
    award_bid_to_fund,
    change_bid_status,
    record_budget,
    record_recovery,
    release_unspent,
    reverse_entry,
    transfer_between_funds,
)
from meetings.tests.factories import DecisionFactory

from .factories import BidFactory, FundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(board):
    fund = FundFactory(board=board, name="One Swindon Transformation Fund")
    record_budget(fund=fund, amount=25_000_000, financial_year=2013)
    return fund


@pytest.fixture
def decision(board):
    return DecisionFactory(
        item__meeting__board=board,
        item__meeting__starts_at=dt.datetime(2014, 3, 18, 14, tzinfo=dt.UTC),
    )


def test_it_allocates_against_a_decision_in_the_meetings_financial_year(fund, decision):
    line = allocate_from_fund(fund=fund, decision=decision, amount=2_500_000, purpose="DPO")
    assert line.decision == decision
    assert line.financial_year_label == "2013/14"
    assert line.entered_on == dt.date(2014, 3, 18)
    balance = fund.entries.balance()
    assert (balance.budget, balance.allocated, balance.available) == (
        25_000_000,
        2_500_000,
        22_500_000,
    )


def test_it_refuses_an_allocation_without_a_decision(fund):
    with pytest.raises(FundingError, match="must name the decision"):
        allocate_from_fund(fund=fund, decision=None, amount=100, purpose="x")
    assert not fund.entries.allocations().exists()


def test_it_refuses_more_than_is_available_with_the_figures(fund, decision):
    with pytest.raises(InsufficientFunds) as error:
        allocate_from_fund(fund=fund, decision=decision, amount=30_000_000, purpose="x")
    assert "£250,000 available" in error.value.messages[0]
    assert "£300,000" in error.value.messages[0]
    assert "-£50,000" in error.value.messages[0]


def test_it_keeps_the_override_reason_on_the_line(fund, decision):
    line = allocate_from_fund(
        fund=fund,
        decision=decision,
        amount=30_000_000,
        purpose="x",
        override_reason="Partners agreed to top up in April",
    )
    line.refresh_from_db()
    assert line.override_reason == "Partners agreed to top up in April"
    assert fund.entries.balance().available == -5_000_000


@pytest.mark.parametrize("kind", ["noted", "deferred", "rejected"])
def test_it_refuses_a_decision_that_did_not_agree_to_spend(fund, decision, kind):
    decision.kind = kind
    with pytest.raises(FundingError, match="only an agreed or approved decision"):
        allocate_from_fund(fund=fund, decision=decision, amount=100, purpose="x")


def test_it_refuses_a_decision_of_another_board(fund):
    with pytest.raises(FundingError, match="controlled by"):
        allocate_from_fund(fund=fund, decision=DecisionFactory(), amount=100, purpose="x")


def test_it_never_edits_or_deletes_a_line(fund):
    line = fund.entries.get()
    line.amount = 1
    with pytest.raises(ValidationError):
        line.save()
    with pytest.raises(ValidationError):
        line.delete()


def test_it_corrects_with_a_reversing_line(fund, decision):
    line = allocate_from_fund(fund=fund, decision=decision, amount=2_500_000, purpose="x")
    reversal = reverse_entry(entry=line, reason="Typed against the wrong fund")
    assert reversal.amount == -2_500_000 and reversal.reverses == line
    assert fund.entries.balance().available == 25_000_000
    with pytest.raises(FundingError, match="already been reversed"):
        reverse_entry(entry=line, reason="again")


def test_it_releases_no_more_than_the_decision_holds(fund, decision):
    line = allocate_from_fund(fund=fund, decision=decision, amount=2_500_000, purpose="x")
    release_unspent(allocation=line, amount=500_000)
    with pytest.raises(FundingError, match="holds £20,000"):
        release_unspent(allocation=line, amount=2_100_000)
    balance = fund.entries.balance()
    assert (balance.released, balance.available) == (500_000, 23_000_000)


def test_it_transfers_with_two_linked_lines(board, fund):
    capital = FundFactory(board=board, kind="capital")
    out, into = transfer_between_funds(
        source=fund, target=capital, amount=1_000_000, financial_year=2013, purpose="x"
    )
    out.refresh_from_db()
    assert out.transfer_pair == into and into.transfer_pair == out
    assert fund.entries.balance().available == 24_000_000
    assert capital.entries.balance().available == 1_000_000
    by_kind = FundEntry.objects.balance_by_fund_kind()
    assert by_kind["capital"].available == 1_000_000
    assert by_kind["revenue"].available == 24_000_000
    reverse_entry(entry=into, reason="Wrong fund", override_reason="")
    assert capital.entries.balance().available == 0
    assert fund.entries.balance().available == 25_000_000


def test_it_adds_recoveries(fund, decision):
    record_recovery(fund=fund, amount=2_500_000, financial_year=2014, purpose="Treasury")
    years = dict(fund.entries.balance_by_year())
    assert years[2014].recovered == 2_500_000
    assert fund.entries.balance().available == 27_500_000


def test_it_turns_an_awarded_bid_into_a_budget_line_once(board, fund):
    bid = BidFactory(board=board)
    change_bid_status(bid=bid, status=Bid.Status.AWARDED, amount_awarded=38_000_000)
    line = award_bid_to_fund(bid=bid, fund=fund, financial_year=2014)
    assert line.kind == "budget" and line.amount == 38_000_000
    bid.refresh_from_db()
    assert bid.fund == fund
    with pytest.raises(FundingError, match="already"):
        award_bid_to_fund(bid=bid, fund=fund, financial_year=2014)


def test_it_refuses_to_budget_a_bid_not_yet_awarded(board, fund):
    bid = BidFactory(board=board, status=Bid.Status.SUBMITTED)
    with pytest.raises(FundingError, match="Only an awarded bid"):
        award_bid_to_fund(bid=bid, fund=fund, financial_year=2014)
