import datetime as dt
import re

import pytest

from funding.charts import MAX_POINTS, NARROW, balance_chart, balance_points
from funding.models import FundEntry
from funding.money import format_money
from meetings.tests.factories import DecisionFactory

from .factories import FundFactory

pytestmark = pytest.mark.django_db


def _ledger(board, lines):
    """Lines written straight to the ledger: (kind, amount, day)."""
    fund = FundFactory(board=board)
    decision = DecisionFactory(item__meeting__board=board)
    FundEntry.objects.bulk_create(
        FundEntry(
            fund=fund,
            kind=kind,
            amount=amount,
            financial_year=2013,
            entered_on=day,
            decision=decision if kind in ("allocation", "release") else None,
        )
        for kind, amount, day in lines
    )
    return fund


def test_it_draws_the_running_balance_with_a_title_and_description(board):
    fund = _ledger(
        board,
        [
            ("budget", 25_000_000, dt.date(2013, 4, 1)),
            ("allocation", 2_500_000, dt.date(2014, 3, 18)),
            ("allocation", 2_500_000, dt.date(2014, 3, 18)),
            ("release", 500_000, dt.date(2014, 9, 1)),
        ],
    )
    points = balance_points(fund.entries.daily_changes())
    assert [(p.day, p.available, p.committed) for p in points] == [
        (dt.date(2013, 4, 1), 25_000_000, 0),
        (dt.date(2014, 3, 18), 20_000_000, 5_000_000),
        (dt.date(2014, 9, 1), 20_500_000, 4_500_000),
    ]
    svg = str(balance_chart(fund.entries.daily_changes(), fund_name="One Swindon <Fund>"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="chart-title">One Swindon &lt;Fund&gt;: available balance' in svg
    assert "from £250,000 on 1 April 2013 to £205,000 on 1 September 2014" in svg
    assert "1 Apr 2013" in svg and ">£100k<" in svg


def test_it_counts_a_reversed_allocation_as_no_longer_committed(board):
    fund = _ledger(
        board,
        [
            ("budget", 1_000_000, dt.date(2014, 4, 1)),
            ("allocation", 400_000, dt.date(2014, 5, 1)),
            ("allocation", -400_000, dt.date(2014, 6, 1)),  # its reversing line
        ],
    )
    last = balance_points(fund.entries.daily_changes())[-1]
    assert (last.available, last.committed) == (1_000_000, 0)


def test_it_shows_an_overdrawn_fund_below_a_zero_line(board):
    fund = _ledger(
        board,
        [
            ("budget", 1_000_000, dt.date(2014, 4, 1)),
            ("allocation", 3_000_000, dt.date(2014, 5, 1)),
        ],
    )
    svg = str(balance_chart(fund.entries.daily_changes(), fund_name="F"))
    assert 'class="zero"' in svg and "-£20k" in svg


def test_it_draws_a_long_busy_ledger_a_month_at_a_time_but_keeps_the_lowest_day(board):
    start = dt.date(2014, 4, 1)
    lines = [("budget", 10_000_000, start)]
    # A small allocation every other day for three years, and one deep dip on a
    # single day that is put right the next.
    lines += [("allocation", 1_000, start + dt.timedelta(days=2 * n)) for n in range(1, 550)]
    lines += [
        ("allocation", 9_000_000, dt.date(2015, 6, 10)),
        ("recovery", 9_000_000, dt.date(2015, 6, 11)),
    ]
    fund = _ledger(board, lines)
    days = list(fund.entries.daily_changes())
    assert len(days) > MAX_POINTS
    svg = str(balance_chart(days, fund_name="F"))
    dots = svg.count('<circle class="dot"')
    assert dots <= 12 * 4  # a point a month (and the first day), not one a day
    assert "from £100,000 on 1 April 2014" in svg
    # The dip lasts a day, between two month ends; the description still gives it.
    lowest = min(balance_points(days), key=lambda p: p.available)
    assert lowest.day == dt.date(2015, 6, 10)
    assert f"lowest {format_money(lowest.available)} on 10 June 2015" in svg


def test_it_says_so_when_there_is_nothing_to_draw(board):
    fund = FundFactory(board=board)
    assert "No money has been recorded" in balance_chart(
        fund.entries.daily_changes(), fund_name="F"
    )


def test_it_draws_a_narrow_chart_for_phones_with_ids_of_its_own(board):
    """A phone shows the chart drawn 340 units wide (about a unit a pixel), so its 12 px
    labels stay 12 px: the wide one scaled to fit would shrink them to 6."""
    fund = _ledger(board, [("budget", 1_000_000, dt.date(2014, 4, 1))])
    days = list(fund.entries.daily_changes())
    wide = str(balance_chart(days, fund_name="F"))
    narrow = str(balance_chart(days, fund_name="F", frame=NARROW))
    assert 'viewBox="0 0 760 280"' in wide and 'viewBox="0 0 340 270"' in narrow
    assert 'aria-labelledby="chart-narrow-title chart-narrow-desc"' in narrow
    assert '<title id="chart-narrow-title">' in narrow and 'id="chart-title"' not in narrow
    # The legend goes one entry a line: side by side it would run off the right edge.
    assert re.search(r'<text class="axis" x="78" y="\d+">Committed', narrow)
