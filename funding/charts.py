"""A fund's balance over time as a server-side SVG: a picture with no JavaScript library.

The chart has a <title> and <desc> (read by screen readers); the movements table below
it on the page carries the same figures as text.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .money import format_money

WIDTH, HEIGHT = 760, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 40, 20, 44


# Above this many days with movements the chart draws one point a month (the month's
# last movement): at 680 pixels for the span a day is under a pixel, and a dot a day
# would make the page heavier for nothing a reader could see.
MAX_POINTS = 120


@dataclass(frozen=True)
class Point:
    day: dt.date
    available: int
    committed: int  # allocated and not released, so far


def balance_points(days: Iterable[dict]) -> list[Point]:
    """Running available and committed sums, one point per day with movements.

    days: FundEntryQuerySet.daily_changes() rows, oldest first."""
    points = []
    available = committed = 0
    for row in days:
        available += row["available"]
        committed += row["committed"]
        points.append(Point(row["entered_on"], available, committed))
    return points


def _month_ends(points: list[Point]) -> list[Point]:
    """The first point, then the last of each month (the running sums stay exact)."""
    last: dict[tuple[int, int], Point] = {}
    for point in points:
        last[(point.day.year, point.day.month)] = point
    return [points[0], *(p for p in last.values() if p is not points[0])]


def _nice_step(span: int) -> int:
    """A round tick step (1, 2, 2.5 or 5 × 10ⁿ pence) giving about four ticks."""
    raw = max(span / 4, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return int(Decimal(factor) * magnitude)
    return 10 * magnitude


def balance_chart(days: Iterable[dict], *, fund_name: str) -> SafeString:
    """days: FundEntryQuerySet.daily_changes() rows, oldest first."""
    daily = balance_points(days)
    points = daily if len(daily) <= MAX_POINTS else _month_ends(daily)
    title = f"{fund_name}: available balance over time"
    if not points:
        desc = "No money has been recorded in this fund yet."
        return mark_safe(
            f'<svg class="fund-chart" viewBox="0 0 {WIDTH} 60" role="img" '
            f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{desc}</desc>'
            f'<text x="{WIDTH / 2}" y="35" text-anchor="middle" class="fund-chart-note">'
            f"{desc}</text>"
            "</svg>"
        )
    first, last = daily[0].day, daily[-1].day
    if first == last:
        first, last = first - dt.timedelta(days=30), last + dt.timedelta(days=30)
    else:
        # A little room either side, so the first and last movements sit inside the frame.
        pad = dt.timedelta(days=max((last - first).days // 20, 1))
        first, last = first - pad, last + pad
    values = [p.available for p in daily] + [p.committed for p in daily] + [0]
    low, high = min(values), max(values)
    step = _nice_step(high - low or abs(high) or 100_000)
    low = (low // step) * step
    high = -((-high) // step) * step
    if high == low:
        high = low + step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span_days = (last - first).days or 1

    def x(day: dt.date) -> float:
        return round(LEFT + plot_w * (day - first).days / span_days, 1)

    def y(pence: int) -> float:
        return round(TOP + plot_h * (high - pence) / (high - low), 1)

    parts = [
        f'<svg class="fund-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    lowest = min(daily, key=lambda p: p.available)  # the day, even when drawn by month
    desc = (
        f"Available balance went from {format_money(daily[0].available)} on "
        f"{daily[0].day:%-d %B %Y} to {format_money(daily[-1].available)} on "
        f"{daily[-1].day:%-d %B %Y}; lowest {format_money(lowest.available)} on "
        f"{lowest.day:%-d %B %Y}. Committed (allocated, not released) is now "
        f"{format_money(daily[-1].committed)}."
    )
    parts.append(f'<desc id="chart-desc">{escape(desc)}</desc>')
    # Grid and y-axis labels.
    tick = low
    while tick <= high:
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick)}" y2="{y(tick)}"/>'
            f'<text class="axis" x="{LEFT - 8}" y="{y(tick) + 4}" text-anchor="end">'
            f"{escape(format_money(tick, short=True))}</text>"
        )
        tick += step
    if low < 0:
        parts.append(
            f'<line class="zero" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(0)}" y2="{y(0)}"/>'
        )
    # X-axis labels: the first and last movement, and each 1 April (a new financial
    # year) in between where it does not crowd them or the one before: over a decade
    # that is every other year or so.
    ticks = [(daily[0].day, f"{daily[0].day:%-d %b %Y}")]
    for year in range(first.year, last.year + 1):
        day = dt.date(year, 4, 1)
        if (
            first < day < last
            and x(day) - x(ticks[-1][0]) > 90
            and abs(x(daily[-1].day) - x(day)) > 90
        ):
            ticks.append((day, f"1 Apr {year}"))
    if daily[-1].day != daily[0].day:
        ticks.append((daily[-1].day, f"{daily[-1].day:%-d %b %Y}"))
    for day, label in ticks:
        parts.append(
            f'<line class="grid" x1="{x(day)}" x2="{x(day)}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>'
            f'<text class="axis" x="{x(day)}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{label}</text>"
        )

    def step_path(attr: str) -> str:
        d = [f"M{x(first)},{y(0)}"]
        for point in points:
            d.append(f"H{x(point.day)}")
            d.append(f"V{y(getattr(point, attr))}")
        d.append(f"H{x(last)}")
        return " ".join(d)

    available_path = step_path("available")
    parts.append(f'<path class="area" d="{available_path} V{y(0)} Z"/>')
    parts.append(f'<path class="available" d="{available_path}"/>')
    parts.append(f'<path class="committed" d="{step_path("committed")}"/>')
    for point in points:
        parts.append(
            f'<circle class="dot" cx="{x(point.day)}" cy="{y(point.available)}" r="3">'
            f"<title>{point.day:%-d %b %Y}: {escape(format_money(point.available))} available"
            "</title></circle>"
        )
    # Legend.
    legend_y = HEIGHT - 10
    parts.append(
        f'<rect class="legend-available" x="{LEFT}" y="{legend_y - 9}" width="14" height="10"/>'
        f'<text class="axis" x="{LEFT + 20}" y="{legend_y}">Available</text>'
        f'<line class="committed" x1="{LEFT + 110}" x2="{LEFT + 130}" y1="{legend_y - 4}" '
        f'y2="{legend_y - 4}"/>'
        f'<text class="axis" x="{LEFT + 136}" y="{legend_y}">'
        "Committed (allocated, not released)</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
