""" "My actions" is kept until the record changes (actions.record_cache): a second view of an
unchanged record reads only the record's version, and any change the page shows, made
anywhere and by any path, is on the next view."""

import pytest
from django.urls import reverse

from actions.models import ActionUpdate
from actions.tests.factories import ActionFactory
from boards.models import RecordChange
from boards.tests.factories import PersonFactory
from meetings import services as meeting_services
from meetings.tests.factories import AgendaItemFactory, DecisionFactory

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    response = client.get(reverse("actions:mine"))
    assert response.status_code == 200
    return response.content.decode()


def _lists(page: str) -> str:
    return page[page.index('<nav aria-label="Groups"') : page.index('id="calendar-h"')]


def test_a_second_view_of_an_unchanged_record_reads_only_its_version(
    client_for, item, member, days, django_assert_max_num_queries
):
    for n in range(30):
        ActionFactory(item=item, owners=[member], text=f"Task {n}", due_on=days(n - 5))
    client = client_for(member)
    first = _page(client)
    # The session, the user, the person and the record's version.
    with django_assert_max_num_queries(4):
        again = _page(client)
    assert _lists(again) == _lists(first)
    assert "Task 29" in _lists(again)


# Each change: its set-up, a yield (the page is viewed there), the change, and what the
# next view must show.
def _edit_action(action, **_):
    yield
    action.text = "Book the bigger hall"
    action.save()
    yield "Book the bigger hall"


def _add_update(action, member, **_):
    yield
    ActionUpdate.objects.create(action=action, by=member, text="Hall booked for May")
    yield "Hall booked for May"


def _rename_co_owner(action, **_):
    other = PersonFactory(name="Ade Other")
    action.owners.add(other)
    yield
    other.name = "Adaeze Other"
    other.save()
    yield "Adaeze Other"


def _rename_board(action, **_):
    yield
    board = action.board
    board.name = "Renamed Partnership Board"
    board.save()
    yield "Renamed Partnership Board"


def _renumber_items(action, **_):
    # bulk_update, which sends no post_save: the service notes the change itself.
    item = action.item
    first = AgendaItemFactory(meeting=item.meeting, title="Welcome", number="9", order=9)
    yield
    meeting_services.renumber(meeting=item.meeting, order=[first.pk, item.pk])
    yield f"item 2 {item.title}"


def _renumber_decisions(action, **_):
    # The numbers close up with update(); the deletion before it is the change noted.
    item = action.item
    gone = DecisionFactory(item=item, number=1)
    action.decision = DecisionFactory(item=item, number=2, text="Agreed the venue")
    action.save()
    yield
    meeting_services.delete_decision(decision=gone, reason="Entered twice")
    yield "decision (1)"


@pytest.mark.parametrize(
    "change",
    [
        _edit_action,
        _add_update,
        _rename_co_owner,
        _rename_board,
        _renumber_items,
        _renumber_decisions,
    ],
)
def test_a_change_made_since_the_last_view_is_on_the_next(change, client_for, item, member, days):
    action = ActionFactory(item=item, owners=[member], text="Book the hall", due_on=days(3))
    client = client_for(member)
    steps = change(action, member=member)
    next(steps)
    before = _page(client)
    shown = next(steps)
    assert shown not in before
    assert shown in _page(client)


def test_a_bulk_write_that_notes_no_change_is_not_shown_until_the_entry_expires(
    client_for, item, member, days, settings
):
    """The cache really is what the page shows: a write behind the signals' back is not on
    it (which is why every bulk write of something shown adds a RecordChange)."""
    action = ActionFactory(item=item, owners=[member], text="Book the hall", due_on=days(3))
    client = client_for(member)
    _page(client)
    type(action).objects.filter(pk=action.pk).update(text="Changed behind its back")
    assert "Changed behind its back" not in _page(client)
    RecordChange.objects.create()
    assert "Changed behind its back" in _page(client)


def test_the_logs_owner_list_gains_a_new_holder_of_an_open_action(client_for, item, secretary):
    """The owner list reads every open action of the board, so it is kept; an officer who
    is given an action is on it at the next view, and off it once the action is closed."""
    url = reverse("actions:log", args=[item.meeting.board.slug])
    client = client_for(secretary)
    officer = PersonFactory(name="Olive Officer")

    def owners():
        field = client.get(url).context["filter"].form.fields["owner"]
        return [label for _pk, label in field.choices]

    assert "Olive Officer" not in owners()
    action = ActionFactory(item=item, owners=[officer], text="Draft the bid")
    assert "Olive Officer" in owners()
    action.set_status(action.Status.DONE)
    action.save()
    assert "Olive Officer" not in owners()
