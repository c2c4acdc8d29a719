import pytest
from hypothesis import given
from hypothesis import strategies as st

from funding.money import (
    MAX_PENCE,
    MoneyError,
    financial_year_label,
    financial_year_of,
    format_money,
    parse_financial_year,
    parse_money,
    parse_money_range,
)


@pytest.mark.parametrize(
    ("text", "pence"),
    [
        ("£25k", 2_500_000),
        ("£25K", 2_500_000),
        ("25,000", 2_500_000),
        ("£1.5m", 150_000_000),
        ("£90,000.50", 9_000_050),
        ("£380K", 38_000_000),
        (" £ 25 k ", 2_500_000),
        ("0.5m", 50_000_000),
    ],
)
def test_it_reads_money_as_the_board_writes_it(text, pence):
    assert parse_money(text) == pence


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("£1m - £2m", "range"),
        ("-£25k", "negative"),
        ("£-25", "negative"),
        ("25.000", "ambiguous"),
        ("25,00", "not an amount"),
        ("twenty", "not an amount"),
        ("", "Enter an amount"),
        ("£0.0001", "fractions of a penny"),
    ],
)
def test_it_refuses_what_is_not_one_clear_amount(text, message):
    with pytest.raises(MoneyError, match=message):
        parse_money(text)


def test_it_reads_ranges_where_a_range_is_asked_for():
    assert parse_money_range("£1m-£2m") == (100_000_000, 200_000_000)
    assert parse_money_range("£0.5m to £1m") == (50_000_000, 100_000_000)
    assert parse_money_range("£1-2m") == (100_000_000, 200_000_000)
    assert parse_money_range("£5m") == (500_000_000, 500_000_000)
    with pytest.raises(MoneyError, match="low end"):
        parse_money_range("£2m-£1m")


def test_it_formats_for_tables_and_summaries():
    assert format_money(2_500_000) == "£25,000"
    assert format_money(2_500_000, short=True) == "£25k"
    assert format_money(150_000_000, short=True) == "£1.5m"
    assert format_money(9_000_050) == "£90,000.50"
    assert format_money(99_999_900, short=True) == "£1m"
    assert format_money(9_050, short=True) == "£90.50"
    assert format_money(-500_000) == "-£5,000"


# Up to the largest amount recorded: beyond it parse_money refuses (test_bounds.py).
pence = st.integers(min_value=0, max_value=MAX_PENCE)


@given(pence)
def test_it_round_trips_every_formatted_amount(amount):
    assert parse_money(format_money(amount)) == amount


@given(pence)
def test_it_round_trips_summaries_to_within_their_rounding(amount):
    back = parse_money(format_money(amount, short=True))
    # Summaries keep two decimals of their unit (k, m): off by at most half a per cent.
    assert abs(back - amount) <= max(back, amount) / 200


@given(st.text(alphabet="£-–,.kmKMx ()abc", max_size=12))
def test_it_never_crashes_on_garbage(text):
    try:
        amount = parse_money(text)
    except MoneyError as error:
        assert str(error)
    else:
        assert amount >= 0


def test_it_knows_the_uk_financial_year():
    import datetime as dt

    assert financial_year_of(dt.date(2014, 3, 18)) == 2013
    assert financial_year_of(dt.date(2014, 4, 1)) == 2014
    assert financial_year_label(2014) == "2014/15"
    assert financial_year_label(1999) == "1999/00"
    assert parse_financial_year("2014/15") == 2014
    with pytest.raises(ValueError):
        parse_financial_year("2014/16")


def test_it_writes_ranges_in_one_unit_like_the_bid():
    from funding.money import format_money_range

    assert format_money_range(50_000_000, 100_000_000) == "£0.5m-£1m"
    assert format_money_range(700_000_000, 1_000_000_000) == "£7m-£10m"
    assert format_money_range(500_000_000, 500_000_000) == "£5m"
    assert parse_money_range(format_money_range(50_000_000, 100_000_000)) == (
        50_000_000,
        100_000_000,
    )


def test_it_finds_the_sum_a_decision_names():
    from funding.money import find_money

    assert find_money("The Board agreed to fund £25k from the Fund for a review.") == 2_500_000
    assert find_money("To note the £1.5m bid and £25k.") == 150_000_000
    assert find_money("To note the report.") is None
