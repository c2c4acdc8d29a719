import datetime as dt

import pytest

from boards.permissions import Reach
from boards.tests.factories import OrganisationFactory
from funding.exports import grants_dataset, grants_json, ledger_dataset
from funding.services import allocate_from_fund, record_budget, reverse_entry
from meetings.tests.factories import DecisionFactory

from .factories import FundFactory

pytestmark = pytest.mark.django_db


def test_it_exports_only_allocations_that_stand_as_grants(board):
    fund = FundFactory(board=board, name="One Swindon Transformation Fund")
    record_budget(
        fund=fund, amount=25_000_000, financial_year=2013, entered_on=dt.date(2013, 4, 1)
    )
    decision = DecisionFactory(
        item__meeting__board=board,
        item__meeting__starts_at=dt.datetime(2014, 3, 18, 14, tzinfo=dt.UTC),
    )
    fire = OrganisationFactory(name="Wiltshire Fire and Rescue Service")
    kept = allocate_from_fund(
        fund=fund, decision=decision, amount=2_500_000, purpose="Scoping review", recipient=fire
    )
    wrong = allocate_from_fund(fund=fund, decision=decision, amount=100_000, purpose="Typo")
    reverse_entry(entry=wrong, reason="Typed twice")
    members = Reach.copy_of(board.pk, confidential=True)
    entries = list(fund.entries.movements().with_disclosure(members))

    grants = grants_dataset(fund, entries)
    assert grants.height == 1
    row = dict(zip(grants.headers, grants[0], strict=True))
    assert (
        row["Identifier"]
        == f"360G-minutebook-{board.slug}-one-swindon-transformation-fund-{kept.pk}"
    )
    assert row["Amount Awarded"] == "25000.00"
    assert row["Award Date"] == "2014-03-18"
    assert row["Recipient Org:Name"] == "Wiltshire Fire and Rescue Service"
    assert row["Funding Org:Name"] == board.name
    assert row["Grant Programme:Title"] == "One Swindon Transformation Fund"
    assert [g["title"] for g in grants_json(fund, entries)["grants"]] == ["Scoping review"]

    ledger = ledger_dataset(fund, entries)
    assert ledger.height == 4  # budget, two allocations, one reversal: nothing hidden
    assert sorted(ledger["Amount (£)"]) == sorted(["250000.00", "25000.00", "1000.00", "-1000.00"])
