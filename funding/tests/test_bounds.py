"""Money within £10 billion a line and financial years within 1990/91 to 2100/01: refused
at the form with what was typed kept, refused by the database, and the pages that sum the
ledger still work with many lines at the largest amount."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from funding.models import Bid, BidLine, FundEntry, SavingsEstimate
from funding.money import MAX_PENCE, MoneyError, parse_financial_year, parse_money
from funding.services import FundingError, record_budget
from meetings.tests.factories import DecisionFactory

from .factories import BidFactory, BidLineFactory, FundFactory, SavingsEstimateFactory

pytestmark = pytest.mark.django_db

BIGINT_MAX = 2**63 - 1


@pytest.fixture
def fund(board):
    fund = FundFactory(board=board, name="One Swindon Transformation Fund")
    record_budget(fund=fund, amount=25_000_000, financial_year=2013)
    return fund


def test_it_parses_the_largest_amount_and_refuses_a_penny_more():
    assert MAX_PENCE == 1_000_000_000_000  # £10 billion
    assert parse_money("£10bn") == MAX_PENCE
    with pytest.raises(MoneyError, match="largest amount Minutebook records"):
        parse_money("£10,000,000,000.01")
    with pytest.raises(MoneyError, match=r"\(£10,000,000,000\)"):
        parse_money("£92,000,000,000,000,000")


@pytest.mark.parametrize("typed", ["1989/90", "2101/02", "2199/00"])
def test_it_refuses_a_financial_year_outside_the_record(typed):
    with pytest.raises(ValueError, match="1990/91 to 2100/01"):
        parse_financial_year(typed)
    assert parse_financial_year("2100/01") == 2100


def _fund_page_posts(client, fund, **data):
    return client.post(
        reverse("funding:fund_record_line", args=[fund.pk]),
        {"kind": "budget", "amount": "£5k", "financial_year": "2014/15", "purpose": "x", **data},
    )


def test_it_refuses_a_line_of_92_quadrillion_and_the_pages_keep_working(
    client_for, secretary, member, board, fund
):
    client = client_for(secretary)
    response = _fund_page_posts(client, fund, amount="£92,000,000,000,000,000")
    assert response.status_code == 400
    page = response.content.decode()
    assert "more than the largest amount Minutebook records (£10,000,000,000)" in page
    assert 'value="£92,000,000,000,000,000"' in page  # what was typed is kept
    assert fund.entries.count() == 1
    viewer = client_for(member)
    assert viewer.get(fund.get_absolute_url()).status_code == 200
    assert viewer.get(reverse("funding:board_panel", args=[board.slug])).status_code == 200
    api = APIClient()
    api.force_authenticate(member.user)
    assert api.get("/api/funds/").status_code == 200


@pytest.mark.parametrize("typed", ["2300/01", "2150/51", "1989/90"])
def test_it_refuses_a_line_in_a_year_outside_the_record(client_for, secretary, fund, typed):
    response = _fund_page_posts(client_for(secretary), fund, financial_year=typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "outside the years Minutebook records (1990/91 to 2100/01)" in page
    assert f'value="{typed}"' in page
    assert fund.entries.count() == 1


def test_it_refuses_an_allocation_above_the_maximum_on_the_form(client_for, secretary, fund):
    decision = DecisionFactory(item__meeting__board=fund.board)
    response = client_for(secretary).post(
        reverse("funding:allocate", args=[decision.pk]),
        {
            "fund": fund.pk,
            "amount": "£11bn",
            "purpose": "Everything",
            "financial_year": "2013/14",
            "override_reason": "Board agreed",
        },
    )
    assert response.status_code == 400
    assert "largest amount Minutebook records" in response.content.decode()
    assert not fund.entries.allocations().exists()


def test_it_refuses_bid_amounts_above_the_maximum_on_the_forms(client_for, secretary, board):
    client = client_for(secretary)
    response = client.post(
        reverse("funding:bid_new", args=[board.slug]),
        {"title": "TCA", "funder": "DCLG", "amount_sought": "£20bn"},
    )
    assert response.status_code == 400
    assert "largest amount Minutebook records" in response.content.decode()
    assert not Bid.objects.exists()
    bid = BidFactory(board=board)
    response = client.post(
        reverse("funding:bid_add_line", args=[bid.pk]),
        {"financial_year": "2014/15", "activity": "Staff", "amount": "£10,000,000,001"},
    )
    assert response.status_code == 400
    assert "largest amount Minutebook records" in response.content.decode()
    response = client.post(
        reverse("funding:bid_add_savings", args=[bid.pk]),
        {"theme": "Troubled families", "financial_year": "2205/06", "estimate": "£1m-£2m"},
    )
    assert response.status_code == 400
    assert "outside the years Minutebook records" in response.content.decode()
    response = client.post(
        reverse("funding:bid_add_savings", args=[bid.pk]),
        {"theme": "Troubled families", "financial_year": "2014/15", "estimate": "£1m-£20bn"},
    )
    assert response.status_code == 400
    assert "largest amount Minutebook records" in response.content.decode()
    assert not bid.lines.exists() and not bid.savings.exists()


def test_it_refuses_out_of_bounds_lines_in_the_service(fund):
    with pytest.raises(FundingError, match="largest amount"):
        record_budget(fund=fund, amount=MAX_PENCE + 1, financial_year=2014)
    with pytest.raises(FundingError, match="2100"):
        record_budget(fund=fund, amount=100, financial_year=2150)
    assert fund.entries.count() == 1


def _refused_by_the_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_it_holds_every_bound_with_a_check_constraint(fund, board):
    line = {"fund": fund, "kind": "budget", "purpose": "x"}
    _refused_by_the_database(
        lambda: FundEntry.objects.create(**line, amount=MAX_PENCE + 1, financial_year=2014)
    )
    _refused_by_the_database(
        lambda: FundEntry.objects.create(**line, amount=-MAX_PENCE - 1, financial_year=2014)
    )
    _refused_by_the_database(
        lambda: FundEntry.objects.create(**line, amount=100, financial_year=2101)
    )
    bid = BidFactory(board=board)
    for field in ("amount_sought", "match_funding"):
        _refused_by_the_database(
            lambda field=field: Bid.objects.filter(pk=bid.pk).update(**{field: MAX_PENCE + 1})
        )
    _refused_by_the_database(
        lambda: Bid.objects.filter(pk=bid.pk).update(
            status="awarded", amount_awarded=MAX_PENCE + 1
        )
    )
    _refused_by_the_database(lambda: BidLineFactory(bid=bid, amount=MAX_PENCE + 1))
    _refused_by_the_database(lambda: BidLineFactory(bid=bid, financial_year=1989))
    _refused_by_the_database(lambda: SavingsEstimateFactory(bid=bid, high=MAX_PENCE + 1))
    _refused_by_the_database(lambda: SavingsEstimateFactory(bid=bid, financial_year=2101))
    # At the bounds themselves, each is accepted.
    FundEntry.objects.create(**line, amount=MAX_PENCE, financial_year=2100)
    FundEntry.objects.create(**line, amount=-MAX_PENCE, financial_year=1990)
    BidLineFactory(bid=bid, amount=MAX_PENCE, financial_year=None)
    SavingsEstimateFactory(bid=bid, low=MAX_PENCE, high=MAX_PENCE)
    assert BidLine.objects.count() == 1 and SavingsEstimate.objects.count() == 1


def test_it_sums_many_lines_of_the_largest_amount(client_for, member, board):
    # A bigint carries over nine million lines of £10bn: no fund's sum can overflow.
    assert 9_000_000 * MAX_PENCE < BIGINT_MAX
    fund = FundFactory(board=board, name="Very large fund")
    decision = DecisionFactory(item__meeting__board=board)
    lines = 1_000
    day = dt.date(2014, 4, 1)
    FundEntry.objects.bulk_create(
        [
            FundEntry(
                fund=fund,
                kind="budget",
                amount=MAX_PENCE,
                financial_year=2014,
                entered_on=day,
                purpose="x",
            )
            for _ in range(lines)
        ]
        + [
            FundEntry(
                fund=fund,
                kind="allocation",
                amount=MAX_PENCE,
                financial_year=2014,
                decision=decision,
                entered_on=day + dt.timedelta(days=n),
                purpose="y",
            )
            for n in range(lines // 2)
        ]
    )
    balance = fund.entries.balance()
    assert (balance.budget, balance.allocated) == (lines * MAX_PENCE, lines // 2 * MAX_PENCE)
    client = client_for(member)
    page = client.get(fund.get_absolute_url())
    assert page.status_code == 200
    assert "£5,000,000,000,000" in page.content.decode()  # 500 × £10bn still available
    panel = client.get(reverse("funding:board_panel", args=[board.slug]))
    assert panel.status_code == 200
    api = APIClient()
    api.force_authenticate(member.user)
    response = api.get("/api/funds/")
    assert response.status_code == 200
    (shown,) = [f for f in response.json()["results"] if f["id"] == fund.pk]
    assert shown["balance"]["available"] == lines // 2 * MAX_PENCE
