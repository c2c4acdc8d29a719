"""Random sequences of ledger lines: the balance is always the sum of the lines."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding.charts import balance_points
from funding.models import AVAILABLE_SIGN, FundEntry
from funding.services import (
    FundingError,
    allocate_from_fund,
    record_budget,
    record_recovery,
    release_unspent,
    reverse_entry,
    transfer_between_funds,
)
from meetings.tests.factories import DecisionFactory

from .factories import FundFactory

pytestmark = pytest.mark.django_db

amounts = st.integers(min_value=1, max_value=50_000_000)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("budget"), amounts, st.booleans()),
        st.tuples(st.just("allocate"), amounts, st.booleans()),
        st.tuples(st.just("release"), amounts, st.integers(0, 30)),
        st.tuples(st.just("recover"), amounts, st.booleans()),
        st.tuples(st.just("transfer"), amounts, st.booleans()),
        st.tuples(st.just("reverse"), st.booleans(), st.integers(0, 30)),
    ),
    max_size=14,
)
ledger_settings = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _apply(op, funds, decision):
    name, a, b = op
    revenue, capital = funds
    lines = list(FundEntry.objects.order_by("pk"))
    try:
        if name == "budget":
            record_budget(fund=revenue if b else capital, amount=a, financial_year=2014)
        elif name == "allocate":
            allocate_from_fund(
                fund=revenue,
                decision=decision,
                amount=a,
                purpose="x",
                override_reason="Board agreed to overspend" if b else "",
            )
        elif name == "release":
            allocations = [line for line in lines if line.kind == "allocation"]
            if allocations:
                release_unspent(allocation=allocations[b % len(allocations)], amount=a)
        elif name == "recover":
            record_recovery(fund=revenue, amount=a, financial_year=2015, purpose="x")
        elif name == "transfer":
            source, target = (revenue, capital) if b else (capital, revenue)
            transfer_between_funds(
                source=source, target=target, amount=a, financial_year=2014, purpose="x"
            )
        elif name == "reverse" and lines:
            reverse_entry(
                entry=lines[b % len(lines)],
                reason="correction",
                override_reason="Reversal agreed by the chair" if a else "",
            )
    except FundingError:
        pass  # a refused line leaves the ledger as it was: checked below


def _expected_available(fund):
    return sum(AVAILABLE_SIGN[line.kind] * line.amount for line in fund.entries.all())


@ledger_settings
@given(ops=operations)
def test_it_keeps_balance_equal_to_the_sum_of_lines(board, ops):
    with transaction.atomic():
        funds = (FundFactory(board=board), FundFactory(board=board, kind="capital"))
        decision = DecisionFactory(item__meeting__board=board)
        for op in ops:
            _apply(op, funds, decision)
            for fund in funds:
                balance = fund.entries.balance()
                totals = fund.entries.totals()
                assert balance.available == _expected_available(fund)
                assert balance.budget == totals["budget"]
                by_year = fund.entries.balance_by_year()
                assert sum((b.available for _, b in by_year), 0) == balance.available
                # The chart's running sums, from one row a day, end where the balance is.
                points = balance_points(fund.entries.daily_changes())
                if points:
                    assert (points[-1].available, points[-1].committed) == (
                        balance.available,
                        balance.spent,
                    )
                # Never below zero unless a line on the fund says why.
                if balance.available < 0:
                    assert fund.entries.exclude(override_reason="").exists()
        # Every allocation names its decision.
        assert not FundEntry.objects.filter(kind="allocation", decision__isnull=True).exists()
        transaction.set_rollback(True)


@ledger_settings
@given(ops=operations)
def test_it_cancels_a_line_with_its_reversal(board, ops):
    with transaction.atomic():
        funds = (FundFactory(board=board), FundFactory(board=board, kind="capital"))
        decision = DecisionFactory(item__meeting__board=board)
        for op in ops:
            _apply(op, funds, decision)
        # Releases first: an allocation whose money was released is not reversed until
        # its releases are (reverse_entry refuses it).
        unreversed = FundEntry.objects.filter(reverses__isnull=True, reversed_by__isnull=True)
        for line in sorted(unreversed, key=lambda line: line.kind != "release"):
            if not FundEntry.objects.filter(reverses=line).exists():
                reverse_entry(entry=line, reason="undo", override_reason="Unwinding the test")
        for fund in funds:
            assert set(fund.entries.totals().values()) == {0}
        for reversal in FundEntry.objects.filter(reverses__isnull=False).select_related(
            "reverses"
        ):
            assert reversal.amount + reversal.reverses.amount == 0
        transaction.set_rollback(True)


def test_it_refuses_an_allocation_line_without_a_decision_in_the_database(board):
    from django.db import IntegrityError

    fund = FundFactory(board=board)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundEntry.objects.create(fund=fund, kind="allocation", amount=100, financial_year=2014)
