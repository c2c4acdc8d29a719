"""The ledger's invariants under any sequence of writes, and the fund lock taken first.

The stateful test runs on PostgreSQL only: SQLite ignores SELECT ... FOR UPDATE, so the
lock order it checks would not be there to see.
"""

import threading
from collections import defaultdict
from contextlib import suppress

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from funding import services
from funding.models import AVAILABLE_SIGN, FundEntry
from funding.services import (
    FundingError,
    InsufficientFunds,
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

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (FOR UPDATE) need PostgreSQL"
)

YEARS = (2014, 2015)
amounts = st.sampled_from([100_000, 400_000, 1_000_000, 2_500_000])
years = st.sampled_from(YEARS)
overrides = st.sampled_from(["", "", "Board agreed to overspend"])
picks = st.integers(min_value=0, max_value=1_000)


@pytest.fixture
def fund(board):
    fund = FundFactory(board=board, name="One Swindon Transformation Fund")
    record_budget(fund=fund, amount=1_000_000, financial_year=2014)
    return fund


# --- Findings, one by one -----------------------------------------------------------------


def test_it_refuses_to_reverse_an_allocation_whose_money_was_released(fund, board):
    # £10,000 allocated, £4,000 of it released, then the allocation reversed: before, the
    # fund ended £4,000 too rich and the decision held -£4,000.
    decision = DecisionFactory(item__meeting__board=board)
    allocation = allocate_from_fund(
        fund=fund, decision=decision, amount=1_000_000, purpose="DPO", financial_year=2014
    )
    release = release_unspent(allocation=allocation, amount=400_000)
    with pytest.raises(FundingError, match="reverse those releases first"):
        reverse_entry(entry=allocation, reason="Wrong fund")
    assert fund.entries.balance().available == 400_000
    assert fund.entries.filter(decision=decision).balance().spent == 600_000
    # The way through: the release first, then the allocation.
    reverse_entry(entry=release, reason="Not unspent after all")
    reverse_entry(entry=allocation, reason="Wrong fund")
    assert fund.entries.balance().available == 1_000_000
    assert fund.entries.filter(decision=decision).balance().spent == 0


def test_it_checks_what_is_available_in_the_lines_financial_year(fund, board):
    # £10,000 in 2014/15 and £10,000 in 2015/16: £15,000 from 2014/15 overdraws that year.
    record_budget(fund=fund, amount=1_000_000, financial_year=2015)
    decision = DecisionFactory(item__meeting__board=board)
    with pytest.raises(InsufficientFunds) as refused:
        allocate_from_fund(
            fund=fund, decision=decision, amount=1_500_000, purpose="x", financial_year=2014
        )
    assert "£10,000 available in 2014/15" in refused.value.messages[0]
    assert "-£5,000" in refused.value.messages[0]
    assert not fund.entries.allocations().exists()
    line = allocate_from_fund(
        fund=fund,
        decision=decision,
        amount=1_500_000,
        purpose="x",
        financial_year=2014,
        override_reason="Brought forward from 2015/16 by the board",
    )
    assert line.override_reason == "Brought forward from 2015/16 by the board"
    assert dict(fund.entries.balance_by_year())[2014].available == -500_000


def test_it_checks_a_transfer_and_a_reversal_in_their_year(fund, board):
    capital = FundFactory(board=board, kind="capital")
    with pytest.raises(InsufficientFunds, match="2015/16"):
        transfer_between_funds(
            source=fund, target=capital, amount=100, financial_year=2015, purpose="x"
        )
    _, into = transfer_between_funds(
        source=fund, target=capital, amount=500_000, financial_year=2014, purpose="x"
    )
    allocate_from_fund(
        fund=capital,
        decision=DecisionFactory(item__meeting__board=board),
        amount=500_000,
        purpose="x",
        financial_year=2014,
    )
    # Taking the transfer back would leave capital's 2014/15 at -£5,000.
    with pytest.raises(InsufficientFunds, match="available in 2014/15"):
        reverse_entry(entry=into, reason="Wrong fund")
    assert capital.entries.balance().available == 0


# --- The fund's row lock comes first --------------------------------------------------------


def _lock_first(queries) -> None:
    """No read of ledger lines before the fund row is locked."""
    sql = [q["sql"] for q in queries]
    locks = [i for i, s in enumerate(sql) if "FOR UPDATE" in s and '"funding_fund"' in s]
    reads = [i for i, s in enumerate(sql) if '"funding_fundentry"' in s]
    if reads:
        assert locks and locks[0] < reads[0], sql[: reads[0] + 1]


@on_postgresql
def test_it_locks_the_fund_before_checking_a_reversal(fund, board):
    allocation = allocate_from_fund(
        fund=fund,
        decision=DecisionFactory(item__meeting__board=board),
        amount=100_000,
        purpose="x",
        financial_year=2014,
    )
    allocation = FundEntry.objects.select_related("transfer_pair").get(pk=allocation.pk)
    with CaptureQueriesContext(connection) as queries:
        reverse_entry(entry=allocation, reason="x")
    _lock_first(queries)


@pytest.mark.django_db(transaction=True)
@on_postgresql
def test_it_refuses_the_second_of_two_concurrent_reversals(board):
    # Both requests have read the line; both reach the lock together. Before, the second
    # had checked "not yet reversed" before waiting for the lock and died on the unique
    # index (a 500); now it checks after the first commits and is refused with a message.
    fund = FundFactory(board=board)
    line = record_budget(fund=fund, amount=100_000, financial_year=2014)
    at_the_lock = threading.Barrier(2, timeout=10)
    real_lock = services._lock

    def lock_together(fund):
        at_the_lock.wait()
        return real_lock(fund)

    outcomes = []

    def reverse():
        try:
            reverse_entry(
                entry=FundEntry.objects.get(pk=line.pk), reason="Twice", override_reason="ok"
            )
            outcomes.append("reversed")
        except Exception as error:  # noqa: BLE001 - the outcome is what is tested
            outcomes.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    services._lock = lock_together
    try:
        threads = [threading.Thread(target=reverse) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    finally:
        services._lock = real_lock
    assert sorted(outcomes) == [
        "FundingError: ['This line has already been reversed.']",
        "reversed",
    ]
    assert fund.entries.filter(reverses=line).count() == 1
    assert fund.entries.balance().available == 0


# --- Any sequence of writes -------------------------------------------------------------


class LedgerMachine(RuleBasedStateMachine):
    """Two funds of one board, two decisions, two financial years; every write the
    services offer, in any order, with and without override reasons."""

    def __init__(self, board):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.funds = [FundFactory(board=board), FundFactory(board=board, kind="capital")]
        self.decisions = [DecisionFactory(item__meeting__board=board) for _ in range(2)]

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _write(self, call, **kwargs):
        """One service call; the fund lock is taken before any ledger line is read."""
        # A refusal leaves the ledger as it was: the invariants check it.
        with CaptureQueriesContext(connection) as queries, suppress(FundingError):
            call(**kwargs)
        _lock_first(queries)

    def _lines(self, **filters):
        return list(FundEntry.objects.filter(fund__in=self.funds, **filters).order_by("pk"))

    @rule(fund=picks, amount=amounts, year=years)
    def budget(self, fund, amount, year):
        self._write(record_budget, fund=self.funds[fund % 2], amount=amount, financial_year=year)

    @rule(fund=picks, decision=picks, amount=amounts, year=years, override=overrides)
    def allocate(self, fund, decision, amount, year, override):
        self._write(
            allocate_from_fund,
            fund=self.funds[fund % 2],
            decision=self.decisions[decision % 2],
            amount=amount,
            purpose="x",
            financial_year=year,
            override_reason=override,
        )

    @rule(pick=picks, amount=amounts, year=years)
    def release(self, pick, amount, year):
        allocations = self._lines(kind="allocation", reverses__isnull=True)
        if allocations:
            self._write(
                release_unspent,
                allocation=allocations[pick % len(allocations)],
                amount=amount,
                financial_year=year,
            )

    @rule(fund=picks, amount=amounts, year=years)
    def recover(self, fund, amount, year):
        self._write(
            record_recovery,
            fund=self.funds[fund % 2],
            amount=amount,
            financial_year=year,
            purpose="x",
        )

    @rule(source=picks, amount=amounts, year=years, override=overrides)
    def transfer(self, source, amount, year, override):
        self._write(
            transfer_between_funds,
            source=self.funds[source % 2],
            target=self.funds[(source + 1) % 2],
            amount=amount,
            financial_year=year,
            purpose="x",
            override_reason=override,
        )

    @rule(pick=picks, override=overrides)
    def reverse(self, pick, override):
        lines = self._lines()
        if not lines:
            return
        line = FundEntry.objects.select_related("transfer_pair").get(
            pk=lines[pick % len(lines)].pk
        )
        held = line.fund.entries.filter(decision=line.decision).balance().spent
        before = FundEntry.objects.count()
        self._write(reverse_entry, entry=line, reason="correction", override_reason=override)
        if line.kind == "allocation" and line.amount > held:
            # Refused, not reversed with its releases (see reverse_entry).
            assert FundEntry.objects.count() == before

    @invariant()
    def balance_is_the_sum_of_lines(self):
        for fund in self.funds:
            lines = fund.entries.values_list("kind", "amount")
            expected = sum(AVAILABLE_SIGN[kind] * amount for kind, amount in lines)
            balance = fund.entries.balance()
            assert balance.available == expected
            by_year = fund.entries.balance_by_year()
            assert sum(b.available for _, b in by_year) == expected

    @invariant()
    def no_decision_holds_less_than_nothing(self):
        for fund in self.funds:
            for decision in self.decisions:
                assert fund.entries.filter(decision=decision).balance().spent >= 0

    @invariant()
    def a_year_goes_below_zero_only_with_a_reason(self):
        reasons = defaultdict(bool)
        for line in self._lines():
            reasons[(line.fund_id, line.financial_year)] |= bool(line.override_reason)
        for fund in self.funds:
            for year, balance in fund.entries.balance_by_year():
                if balance.available < 0:
                    assert reasons[(fund.pk, year)], (fund, year, balance)

    @invariant()
    def each_line_is_reversed_at_most_once_and_exactly(self):
        for reversal in FundEntry.objects.filter(
            fund__in=self.funds, reverses__isnull=False
        ).select_related("reverses"):
            assert reversal.amount == -reversal.reverses.amount
            assert reversal.kind == reversal.reverses.kind
            assert reversal.reverses.reverses_id is None


@on_postgresql
def test_it_keeps_the_ledger_invariants_under_any_sequence_of_writes(board):
    run_state_machine_as_test(
        lambda: LedgerMachine(board),
        settings=settings(
            max_examples=30,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
