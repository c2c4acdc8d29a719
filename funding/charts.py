"""A fund's balance over time as a server-side SVG: a picture with no JavaScript library.

The chart has a <title> and <desc> (read by screen readers); the movements table below
it on the page carries the same figures as text. It is drawn twice, at two widths: the
page shows the wide one from 992 px and the narrow one below, where the wide one scaled
to fit would shrink its 12 px labels to 6.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .money import format_money


@dataclass(frozen=True)
class Frame:
    """The chart's drawing area in SVG units (shown at about one unit a pixel)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    ids: str  # the title's and description's ids start with this
    legend_rows: int  # the legend on one line, or one entry a line


WIDE = Frame(760, 280, 72, 40, 20, 44, ids="chart", legend_rows=1)
# A phone's page is about 360 px across inside its margins.
NARROW = Frame(340, 270, 52, 34, 16, 62, ids="chart-narrow", legend_rows=2)


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


def balance_chart(days: Iterable[dict], *, fund_name: str, frame: Frame = WIDE) -> SafeString:
    """days: FundEntryQuerySet.daily_changes() rows, oldest first."""
    f = frame
    head = (
        f'<svg class="fund-chart" viewBox="0 0 {f.width} {{height}}" role="img" '
        f'aria-labelledby="{f.ids}-title {f.ids}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{f.ids}-title">{{title}}</title>'
    )
    daily = balance_points(days)
    points = daily if len(daily) <= MAX_POINTS else _month_ends(daily)
    title = f"{fund_name}: available balance over time"
    if not points:
        desc = "No money has been recorded in this fund yet."
        return mark_safe(
            head.format(height=60, title=escape(title)) + f'<desc id="{f.ids}-desc">{desc}</desc>'
            f'<text x="{f.width / 2}" y="35" text-anchor="middle" class="fund-chart-note">'
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
    plot_w, plot_h = f.width - f.left - f.right, f.height - f.top - f.bottom
    span_days = (last - first).days or 1

    def x(day: dt.date) -> float:
        return round(f.left + plot_w * (day - first).days / span_days, 1)

    def y(pence: int) -> float:
        return round(f.top + plot_h * (high - pence) / (high - low), 1)

    parts = [head.format(height=f.height, title=escape(title))]
    lowest = min(daily, key=lambda p: p.available)  # the day, even when drawn by month
    desc = (
        f"Available balance went from {format_money(daily[0].available)} on "
        f"{daily[0].day:%-d %B %Y} to {format_money(daily[-1].available)} on "
        f"{daily[-1].day:%-d %B %Y}; lowest {format_money(lowest.available)} on "
        f"{lowest.day:%-d %B %Y}. Committed (allocated, not released) is now "
        f"{format_money(daily[-1].committed)}."
    )
    parts.append(f'<desc id="{f.ids}-desc">{escape(desc)}</desc>')
    # Grid and y-axis labels.
    tick = low
    while tick <= high:
        parts.append(
            f'<line class="grid" x1="{f.left}" x2="{f.width - f.right}" '
            f'y1="{y(tick)}" y2="{y(tick)}"/>'
            f'<text class="axis" x="{f.left - 8}" y="{y(tick) + 4}" text-anchor="end">'
            f"{escape(format_money(tick, short=True))}</text>"
        )
        tick += step
    if low < 0:
        parts.append(
            f'<line class="zero" x1="{f.left}" x2="{f.width - f.right}" y1="{y(0)}" y2="{y(0)}"/>'
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
            f'<line class="grid" x1="{x(day)}" x2="{x(day)}" '
            f'y1="{f.top}" y2="{f.height - f.bottom}"/>'
            f'<text class="axis" x="{x(day)}" y="{f.height - f.bottom + 18}" text-anchor="middle">'
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
    # Legend: side by side, or one a line where the two would not fit across.
    legend_y = f.height - 10 - 18 * (f.legend_rows - 1)
    committed_x, committed_y = (
        (f.left + 110, legend_y) if f.legend_rows == 1 else (f.left, f.height - 10)
    )
    parts.append(
        f'<rect class="legend-available" x="{f.left}" y="{legend_y - 9}" width="14" height="10"/>'
        f'<text class="axis" x="{f.left + 20}" y="{legend_y}">Available</text>'
        f'<line class="committed" x1="{committed_x}" x2="{committed_x + 20}" '
        f'y1="{committed_y - 4}" y2="{committed_y - 4}"/>'
        f'<text class="axis" x="{committed_x + 26}" y="{committed_y}">'
        "Committed (allocated, not released)</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
