import datetime as dt

from funding.charts import balance_chart, balance_points
from funding.models import FundEntry


def _line(pk, kind, amount, day):
    return FundEntry(pk=pk, kind=kind, amount=amount, financial_year=2013, entered_on=day)


def test_it_draws_the_running_balance_with_a_title_and_description():
    entries = [
        _line(1, "budget", 25_000_000, dt.date(2013, 4, 1)),
        _line(2, "allocation", 2_500_000, dt.date(2014, 3, 18)),
        _line(3, "allocation", 2_500_000, dt.date(2014, 3, 18)),
        _line(4, "release", 500_000, dt.date(2014, 9, 1)),
    ]
    points = balance_points(entries)
    assert [(p.available, p.committed) for p in points] == [
        (25_000_000, 0),
        (20_000_000, 5_000_000),
        (20_500_000, 4_500_000),
    ]
    svg = str(balance_chart(entries, fund_name="One Swindon <Fund>"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="chart-title">One Swindon &lt;Fund&gt;: available balance' in svg
    assert "from £250,000 on 1 April 2013 to £205,000 on 1 September 2014" in svg
    assert "1 Apr 2013" in svg and ">£100k<" in svg


def test_it_shows_an_overdrawn_fund_below_a_zero_line():
    entries = [
        _line(1, "budget", 1_000_000, dt.date(2014, 4, 1)),
        _line(2, "allocation", 3_000_000, dt.date(2014, 5, 1)),
    ]
    svg = str(balance_chart(entries, fund_name="F"))
    assert 'class="zero"' in svg and "-£20k" in svg


def test_it_says_so_when_there_is_nothing_to_draw():
    assert "No money has been recorded" in balance_chart([], fund_name="F")
