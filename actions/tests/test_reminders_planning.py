"""Property tests of the reminder rules: due dates, time zones and the clock changes."""

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from actions.reminders import (
    CATCH_UP_DAYS,
    ESCALATE_AFTER_DAYS,
    LONDON,
    ActionDates,
    digest_at,
    digest_is_open,
    london_date,
    reminders_due,
)

UTC = dt.UTC
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))
# Around the clock changes the London date and the UTC date part company.
clock_change_days = st.sampled_from(
    [
        dt.date(2025, 3, 30),
        dt.date(2025, 10, 26),
        dt.date(2026, 3, 29),
        dt.date(2026, 10, 25),
        dt.date(2027, 3, 28),
        dt.date(2027, 10, 31),
    ]
)


@st.composite
def actions(draw):
    circulated_on = draw(days)
    due_on = draw(
        st.none()
        | st.integers(min_value=-10, max_value=120).map(
            lambda n: circulated_on + dt.timedelta(days=n)
        )
    )
    return ActionDates(
        circulated_on=circulated_on,
        due_on=due_on,
        days_before=draw(st.integers(min_value=0, max_value=30)),
        overdue_repeats=draw(st.integers(min_value=0, max_value=6)),
    )


def walk(dates: ActionDates, *, through_days=200):
    """What a pass on every day from circulation on would plan, in order."""
    planned = []
    for n in range(through_days):
        today = dates.circulated_on + dt.timedelta(days=n)
        for row in sorted(reminders_due(dates, today)):
            if row not in planned:
                planned.append(row)
    return planned


@given(actions(), days)
def test_it_never_plans_a_reminder_for_a_future_day_or_before_circulation(dates, today):
    for kind, day in reminders_due(dates, today):
        assert day <= today
        assert day >= dates.circulated_on or kind in ("overdue", "escalated", "due_today")
    if today < dates.circulated_on:
        assert reminders_due(dates, today) == set()


@given(actions())
@settings(max_examples=150)
def test_it_plans_each_kind_on_the_days_the_rules_give(dates):
    planned = walk(dates)
    by_kind = {}
    for kind, day in planned:
        by_kind.setdefault(kind, []).append(day)

    due = dates.due_on
    # An action circulated on or after its due date is not news: it is due or overdue.
    late = due is not None and due <= dates.circulated_on
    assert by_kind.pop("assigned", []) == ([] if late else [dates.circulated_on])
    if due is None:
        assert by_kind == {}
        return
    soon = due - dt.timedelta(days=dates.days_before)
    expect_soon = dates.days_before > 0 and dates.circulated_on <= soon < due
    assert by_kind.get("due_soon", []) == ([soon] if expect_soon else [])
    assert by_kind.get("due_today", []) == ([due] if due >= dates.circulated_on else [])
    overdue = [due + dt.timedelta(days=1 + 7 * week) for week in range(dates.overdue_repeats)]
    # Weekly reminders from before circulation are not sent late, but the latest is.
    first_day = dates.circulated_on
    if due < first_day:
        # Entered late and already overdue: "overdue" on circulation, then weekly.
        expected = [first_day] + [d for d in overdue if d > first_day]
    else:
        expected = [d for d in overdue if d >= first_day or (first_day - d).days < 7]
    assert by_kind.get("overdue", []) == expected
    escalation = due + dt.timedelta(days=ESCALATE_AFTER_DAYS + 1)
    recent = (dates.circulated_on - escalation).days <= CATCH_UP_DAYS
    assert by_kind.get("escalated", []) == ([escalation] if recent else [])


@given(actions(), days)
def test_it_plans_the_same_rows_however_often_it_runs_in_a_day(dates, today):
    assert reminders_due(dates, today) == reminders_due(dates, today)


@given(
    st.datetimes(
        min_value=dt.datetime(2020, 1, 1),
        max_value=dt.datetime(2035, 12, 31),
        timezones=st.timezones(),
    )
)
def test_it_uses_the_london_date_whatever_the_time_zone_of_now(now):
    today = london_date(now)
    assert today == now.astimezone(ZoneInfo("Europe/London")).date()
    assert london_date(now.astimezone(UTC)) == today
    dates = ActionDates(circulated_on=today - dt.timedelta(days=3), due_on=today)
    assert reminders_due(dates, london_date(now)) == reminders_due(
        dates, london_date(now.astimezone(UTC))
    )


@given(clock_change_days, st.integers(min_value=0, max_value=24 * 4 - 1))
def test_it_dates_a_pass_by_the_london_calendar_across_the_clock_changes(day, quarter):
    # Beat ticks every 15 minutes in UTC through the day of a clock change and the next.
    now = dt.datetime.combine(day, dt.time(), tzinfo=UTC) + dt.timedelta(minutes=15 * quarter)
    local = now.astimezone(LONDON)
    assert london_date(now) == local.date()
    assert digest_is_open(now) == (local.time() >= dt.time(7, 0))


@given(days)
def test_it_sends_the_digest_at_seven_london_time_in_summer_and_winter(day):
    at = digest_at(day)
    local = at.astimezone(LONDON)
    assert (local.date(), local.hour, local.minute) == (day, 7, 0)
    utc = at.astimezone(UTC)
    summer = bool(local.dst())
    assert (utc.hour, utc.date()) == (6 if summer else 7, day)


@given(st.sampled_from([dt.date(2026, 3, 29), dt.date(2026, 10, 25)]))
def test_it_opens_the_digest_once_per_day_on_a_fifteen_minute_beat(day):
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), tzinfo=UTC)
    ticks = [start + dt.timedelta(minutes=15 * n) for n in range(3 * 24 * 4)]
    openings = [
        t
        for prev, t in zip(ticks, ticks[1:], strict=False)
        if digest_is_open(t) and not (digest_is_open(prev) and london_date(prev) == london_date(t))
    ]
    # One opening per London day, each exactly at 07:00 local time.
    assert [t.astimezone(LONDON).strftime("%H:%M") for t in openings] == ["07:00"] * len(openings)
    assert len({london_date(t) for t in openings}) == len(openings)
    assert day in {london_date(t) for t in openings}
