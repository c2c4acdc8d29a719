"""Money as the board writes it ("£25k", "£1.5m", "£90,000.50") to and from pence."""

import re
from decimal import ROUND_HALF_UP, Decimal

from meetings.models import FIRST_YEAR, LAST_YEAR

# The largest amount one line, bid or estimate may carry: £10 billion, in pence. Far above
# any board's fund, and far enough below a bigint (9.2e18) that millions of such lines
# still sum without overflowing.
MAX_PENCE = 1_000_000_000_000

_MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_AMOUNT = re.compile(
    r"""^\s*£?\s*
    (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    \s*(?P<unit>k|m|bn)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_RANGE = re.compile(r"^(?P<low>[^-–]+?)\s*(?:-|–|to)\s*(?P<high>[^-–]+)$", re.IGNORECASE)
# How boards write an approximate figure: "c£800k", "c. £800k", "circa £800k",
# "approx. £1.2m", "approximately £50k", "about £5k", "~£5k".
_APPROXIMATE = re.compile(
    r"^\s*(?:c\.?|ca\.?|circa|approx\.?|approximately|about|around|~)\s*(?=£|\d|\.)",
    re.IGNORECASE,
)
_UP_TO = re.compile(r"^\s*up\s+to\s+", re.IGNORECASE)
_PERCENT = re.compile(
    r"^\s*(?P<low>\d+(?:\.\d{1,2})?)\s*%?\s*(?:(?:-|–|to)\s*(?P<high>\d+(?:\.\d{1,2})?)\s*)?%\s*$",
    re.IGNORECASE,
)


class MoneyError(ValueError):
    """The text is not one clear, non-negative amount of money."""


def check_amount(pence: int) -> int:
    """The amount, if it is within MAX_PENCE; MoneyError with the limit if not."""
    if abs(pence) > MAX_PENCE:
        raise MoneyError(
            f"{format_money(pence)} is more than the largest amount Minutebook records "
            f"({format_money(MAX_PENCE)}); check the figure."
        )
    return pence


def check_financial_year(start_year: int) -> int:
    """The year, if it starts a financial year within FIRST_YEAR..LAST_YEAR."""
    if not FIRST_YEAR <= start_year <= LAST_YEAR:
        raise ValueError(
            f"{financial_year_label(start_year)} is outside the years Minutebook records "
            f"({financial_year_label(FIRST_YEAR)} to {financial_year_label(LAST_YEAR)})."
        )
    return start_year


def is_approximate(text: str | None) -> bool:
    """True where the amount is written as approximate ("c£800k", "circa £800k")."""
    return bool(_APPROXIMATE.match(str(text or "")))


def parse_money(text: str) -> int:
    """Pence from text: "£25k" -> 2_500_000, "c£800k" -> 80_000_000 (is_approximate
    says it was approximate). Ranges, negatives and garbage are refused."""
    if text is None or not str(text).strip():
        raise MoneyError("Enter an amount, such as £25,000 or £25k.")
    raw = _APPROXIMATE.sub("", str(text).strip(), count=1).strip()
    if raw.startswith("-") or raw.startswith("(") or "£-" in raw:
        raise MoneyError(f"“{raw}” is negative; enter the amount without a minus sign.")
    if _RANGE.match(raw) and not _AMOUNT.match(raw):
        raise MoneyError(f"“{raw}” is a range; enter one amount.")
    match = _AMOUNT.match(raw)
    if not match:
        raise MoneyError(f"“{raw}” is not an amount of money; write it like £25,000 or £25k.")
    unit = (match["unit"] or "").lower()
    decimals = match["number"].partition(".")[2]
    if not unit and len(decimals) == 3:
        # "25.000" is 25 thousand in much of Europe and £25 here: ask rather than guess.
        raise MoneyError(
            f"“{raw}” is ambiguous: write thousands with a comma (25,000) "
            "and pence with two decimals (25.50)."
        )
    number = Decimal(match["number"].replace(",", ""))
    pence = number * _MULTIPLIERS[unit] * 100
    if pence != pence.to_integral_value():
        raise MoneyError(f"“{raw}” has fractions of a penny.")
    return check_amount(int(pence))


def parse_money_range(text: str) -> tuple[int, int]:
    """(low, high) in pence from "£1m-£2m", "£0.5m to £1m" or one amount "£5m"."""
    raw = (text or "").strip()
    match = _RANGE.match(raw)
    if match and not _AMOUNT.match(raw):
        low_text, high_text = match["low"], match["high"]
        # "£1-2m": the unit written once applies to both ends.
        unit = re.search(r"(k|m|bn)\s*$", high_text, re.IGNORECASE)
        if unit and not re.search(r"(k|m|bn)\s*$", low_text, re.IGNORECASE):
            low_text += unit.group(1)
        low, high = parse_money(low_text), parse_money(high_text)
        if low > high:
            raise MoneyError(f"“{raw}”: the low end is above the high end.")
        return low, high
    amount = parse_money(raw)
    return amount, amount


def parse_savings(text: str) -> tuple[str, int | None, int]:
    """A savings estimate as bids write it: (kind, low, high), where kind is "amount"
    (pence) or "percent" (hundredths of a per cent); low is None for "up to".

    "£1m-£2m" -> ("amount", 100_000_000, 200_000_000); "15-20%" -> ("percent", 1500,
    2000); "up to £1m" -> ("amount", None, 100_000_000); "£5m" -> low == high."""
    raw = (text or "").strip()
    up_to = bool(_UP_TO.match(raw))
    body = _UP_TO.sub("", raw, count=1)
    percent = _PERCENT.match(body)
    if percent:
        low = int(Decimal(percent["low"]) * 100)
        high = int(Decimal(percent["high"]) * 100) if percent["high"] else low
        if low > high:
            raise MoneyError(f"“{raw}”: the low end is above the high end.")
        if high > 100 * 100:
            raise MoneyError(f"“{raw}” is more than 100%.")
        return ("percent", None if up_to else low, high)
    if "%" in body:
        raise MoneyError(f"“{raw}” is not a percentage; write it like 15% or 15-20%.")
    if up_to:
        return ("amount", None, parse_money(body))
    low, high = parse_money_range(body)
    return ("amount", low, high)


def format_savings(kind: str, low: int | None, high: int) -> str:
    """The estimate as the bid writes it: "£1m-£2m", "15-20%", "up to £1m"."""
    if kind == "percent":
        high_text = f"{_trim(Decimal(high) / 100)}%"
        if low is None:
            return f"up to {high_text}"
        if low == high:
            return high_text
        return f"{_trim(Decimal(low) / 100)}-{high_text}"
    if low is None:
        return f"up to {format_money(high, short=True)}"
    return format_money_range(low, high)


def format_money(pence: int | None, *, short: bool = False) -> str:
    """ "£25,000" for tables; short=True gives "£25k" / "£1.5m" for summaries."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pence = abs(int(pence))
    if short:
        pounds = Decimal(pence) / 100
        for unit, size in (("bn", 10**9), ("m", 10**6), ("k", 10**3)):
            value = (pounds / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            # Compare after rounding, so £999,999 reads "£1m" rather than "£1000k".
            if value >= 1:
                return f"{sign}£{_trim(value)}{unit}"
        if pence % 100:
            return f"{sign}£{pounds:.2f}"
        return f"{sign}£{pence // 100}"
    pounds, pennies = divmod(pence, 100)
    if pennies:
        return f"{sign}£{pounds:,}.{pennies:02d}"
    return f"{sign}£{pounds:,}"


_MENTION = re.compile(r"£\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|bn)?\b", re.IGNORECASE)


def find_money(text: str) -> int | None:
    """The first amount mentioned in prose ("agreed to fund £25k from…"), or None."""
    for match in _MENTION.finditer(text or ""):
        try:
            return parse_money(match.group(0))
        except MoneyError:
            continue
    return None


def format_money_range(low: int, high: int) -> str:
    """ "£0.5m-£1m" as the bid writes it: both ends in the high end's unit; "£5m" if equal."""
    if low == high:
        return format_money(low, short=True)
    high_text = format_money(high, short=True)
    unit = re.search(r"(k|m|bn)$", high_text)
    if not unit or low < 0:
        return f"{format_money(low, short=True)}-{high_text}"
    size = {"k": 10**3, "m": 10**6, "bn": 10**9}[unit.group(1)]
    value = (Decimal(low) / 100 / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"£{_trim(value)}{unit.group(1)}-{high_text}"


def _trim(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def financial_year_of(day) -> int:
    """UK financial years run April to March: 18 March 2014 is in 2013/14."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int | None) -> str:
    if start_year is None:
        return ""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_financial_year(text: str) -> int:
    """2014 from "2014/15" or "2014-15"; the second half must follow the first."""
    match = re.fullmatch(r"\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*", text or "")
    if not match:
        raise ValueError(f"“{text}” is not a financial year; write it like 2014/15.")
    start, end = int(match[1]), int(match[2])
    if end % 100 != (start + 1) % 100:
        raise ValueError(f"“{text}”: a financial year runs from one year into the next.")
    return check_financial_year(start)
