import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from actions.models import Action
from actions.reminders import LONDON
from actions.tests.factories import ActionFactory
from meetings.tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory


@pytest.fixture
def past_meeting(board):
    return MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=40))


@pytest.fixture
def next_meeting(board):
    return MeetingFactory(board=board, starts_at=timezone.now() + dt.timedelta(days=20))


@pytest.fixture
def item(past_meeting):
    return AgendaItemFactory(meeting=past_meeting, number="4", title="Data sharing protocol")


@pytest.fixture
def decision(item):
    return DecisionFactory(item=item, number=1, text="To fund £25k for a data officer.")


@pytest.fixture
def action(item, member):
    return ActionFactory(item=item, text="Scope the data sharing review", owners=[member])


@pytest.fixture
def days():
    today = timezone.localdate()
    return lambda n: today + dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every test person has a log-in; the real hasher would make each one take a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Reminders: a board whose minutes went out in January, and its actions ---------------

# Minutes circulated well before the days tested, so "assigned" notices are long sent.
MEETING_AT = dt.datetime(2026, 1, 15, 10, 0, tzinfo=LONDON)
CIRCULATED_AT = dt.datetime(2026, 1, 20, 16, 30, tzinfo=LONDON)


def london(*args):
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def meeting(board, secretary):
    board.secretary = secretary
    board.save(update_fields=["secretary"])
    return MeetingFactory(board=board, starts_at=MEETING_AT, minutes_circulated_at=CIRCULATED_AT)


@pytest.fixture
def make_action(meeting):
    def make(owners=(), **kwargs):
        kwargs.setdefault("item", AgendaItemFactory(meeting=meeting))
        kwargs.setdefault("created_at", MEETING_AT)
        return ActionFactory(owners=list(owners), **kwargs)

    return make


@pytest.fixture
def separate(member):
    member.wants_digest = False
    member.save(update_fields=["wants_digest"])
    return member


@pytest.fixture
def legacy_due_dates():
    """Lets a test plant due dates the database now refuses, as rows written before the
    CHECK constraint came in: the reminder pass must survive such rows all the same."""
    [bound] = [c for c in Action._meta.constraints if c.name == "action_due_on_sane"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:
            cursor.execute(f"ALTER TABLE {Action._meta.db_table} DROP CONSTRAINT {bound.name}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
            return
        # PostgreSQL alters no table with deferred foreign-key checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # The planted rows go before the bound comes back (a committed test keeps its rows).
    Action.objects.exclude(bound.condition).delete()
    with connection.schema_editor() as editor:
        editor.add_constraint(Action, bound)
