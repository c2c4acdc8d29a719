"""{% load money %}: "£25,000" in tables (|money), "£25k" in summaries (|money_short)."""

from django import template

from funding.money import financial_year_label, format_money, format_money_range

register = template.Library()


@register.filter
def money(pence):
    return format_money(pence)


@register.filter
def money_short(pence):
    return format_money(pence, short=True)


@register.filter
def money_abs(pence):
    return format_money(abs(pence)) if pence is not None else ""


@register.filter
def money_range(low_high):
    """ "£1m-£2m", or "£5m" when both ends agree (the bid's table writes it so)."""
    if not low_high:
        return ""
    # A (low, high) pair or a SavingsEstimate.
    low, high = (low_high.low, low_high.high) if hasattr(low_high, "low") else low_high
    return format_money_range(low, high)


@register.filter
def fy(start_year):
    return financial_year_label(start_year)
