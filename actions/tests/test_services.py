import datetime as dt

import pytest
from django.utils import timezone

from actions import services
from actions.models import Action, ActionUpdate
from actions.services import ActionError, ActionPermissionDenied
from actions.tests.factories import ActionFactory
from boards.models import Membership
from boards.tests.factories import MembershipFactory, PersonFactory
from meetings.models import Amendment, Meeting
from meetings.services import MinutesFrozen
from meetings.tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory


def test_it_records_an_action_with_owners_and_a_decision(item, decision, secretary, member):
    action = services.record_action(
        item=item, text="  Scope the review ", by=secretary, owners=[member], decision=decision
    )
    assert action.text == "Scope the review"
    assert list(action.owners.all()) == [member]
    assert action.due_on is None
    assert action.decision == decision
    assert action.status == Action.Status.OPEN


def test_it_records_a_whole_board_action_without_names(item, chair, member):
    action = services.record_action(
        item=item, text="Support household data", by=chair, owners=[member], whole_board=True
    )
    assert action.whole_board
    assert action.owners.count() == 0
    assert action.owner_label() == "ALL"


def test_it_refuses_an_action_from_a_member(item, member):
    with pytest.raises(ActionPermissionDenied, match="secretary or the chair"):
        services.record_action(item=item, text="x", by=member, owners=[member])


def test_it_refuses_an_action_without_owner(item, secretary):
    with pytest.raises(ActionError, match="at least one owner"):
        services.record_action(item=item, text="x", by=secretary)


def test_it_refuses_an_owner_who_has_left(item, secretary, days):
    leaver = PersonFactory(name="Alison Chamberlain", left_on=days(-3))
    with pytest.raises(ActionError, match="Alison Chamberlain .* has left"):
        services.record_action(item=item, text="x", by=secretary, owners=[leaver])


def test_it_refuses_a_decision_from_another_meeting(item, secretary, member, board):
    other = DecisionFactory(item=AgendaItemFactory(meeting=MeetingFactory(board=board)))
    with pytest.raises(ActionError, match="same meeting"):
        services.record_action(item=item, text="x", by=secretary, owners=[member], decision=other)


def test_it_refuses_new_actions_on_approved_minutes(item, secretary, member):
    meeting = item.meeting
    meeting.status = Meeting.Status.MINUTES_APPROVED
    meeting.approved_on = timezone.localdate()
    meeting.save()
    # One refusal for every change to approved minutes (meetings' MinutesFrozen).
    with pytest.raises(MinutesFrozen, match="approved"):
        services.record_action(item=item, text="x", by=secretary, owners=[member])


def test_it_lets_the_secretary_change_text_owners_and_due_date(action, secretary, chair, days):
    change = services.update_action(
        action=action, by=secretary, text="Scope it", owners=[chair], due_on=days(10)
    )
    action.refresh_from_db()
    assert action.text == "Scope it"
    assert list(action.owners.all()) == [chair]
    assert action.due_on == days(10)
    assert change.kind == ActionUpdate.Kind.EDITED
    assert "Owners changed from Mo Member to Chris Chair" in change.text
    assert "Due date changed" in change.text


def test_it_records_nothing_when_nothing_changed(action, chair):
    assert services.update_action(action=action, by=chair, text=action.text) is None
    assert action.updates.count() == 0


def test_it_refuses_an_owner_changing_the_due_date(action, member, days):
    with pytest.raises(ActionPermissionDenied, match="secretary or the chair"):
        services.update_action(action=action, by=member, due_on=days(90))
    action.refresh_from_db()
    assert action.due_on != days(90)


def test_it_lets_an_owner_add_an_update_at_a_meeting(action, member, next_meeting):
    update = services.add_update(
        action=action, by=member, text="Workshop on 7 April", meeting=next_meeting
    )
    assert update.meeting == next_meeting
    assert update.by == member


def test_it_refuses_an_update_from_a_member_who_is_not_an_owner(action, board):
    other = PersonFactory()
    MembershipFactory(person=other, board=board)
    with pytest.raises(ActionPermissionDenied, match="owners and the secretary"):
        services.add_update(action=action, by=other, text="Not mine")


def test_it_refuses_an_observer_even_of_a_whole_board_action(item, observer):
    action = ActionFactory(item=item, whole_board=True)
    with pytest.raises(ActionPermissionDenied):
        services.close_action(action=action, by=observer, note="Done")


def test_it_lets_any_member_close_a_whole_board_action(item, member):
    action = ActionFactory(item=item, whole_board=True)
    services.close_action(action=action, by=member, note="All partners agreed")
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_it_keeps_the_closing_note(action, member):
    services.close_action(action=action, by=member, note="Workshop held 7 April")
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.closed_at is not None
    update = action.updates.get()
    assert (update.text, update.status_to) == ("Workshop held 7 April", "done")


def test_it_needs_a_note_to_drop(action, secretary):
    with pytest.raises(ActionError, match="note cannot be empty"):
        services.drop_action(action=action, by=secretary, note="  ")


def test_it_drops_and_reopens(action, secretary, member):
    services.drop_action(action=action, by=secretary, note="Overtaken by events")
    with pytest.raises(ActionError, match="already dropped"):
        services.close_action(action=action, by=member, note="x")
    services.reopen_action(action=action, by=member, note="Needed after all")
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN
    assert action.closed_at is None


def test_it_reassigns_a_leavers_open_actions_and_keeps_who_held_them(
    board, item, secretary, member, days
):
    leaver = PersonFactory(name="Alison Chamberlain")
    MembershipFactory(person=leaver, board=board, ended_on=days(-1))
    leaver.left_on = days(-1)
    leaver.save()
    first = ActionFactory(item=item, owners=[leaver, secretary])
    second = ActionFactory(item=item, owners=[leaver])
    done = ActionFactory(item=item, owners=[leaver])
    done.set_status(Action.Status.DONE)
    done.save()
    updates = services.reassign_actions(board=board, leaver=leaver, to=member, by=secretary)
    assert len(updates) == 2
    assert set(first.owners.all()) == {secretary, member}
    assert list(second.owners.all()) == [member]
    assert list(done.owners.all()) == [leaver]
    history = second.updates.get()
    assert history.kind == ActionUpdate.Kind.REASSIGNED
    assert "from Alison Chamberlain" in history.text
    assert "to Mo Member" in history.text


def test_it_refuses_reassigning_to_someone_off_the_board(board, item, secretary, outsider):
    leaver = PersonFactory(left_on=timezone.localdate() - dt.timedelta(days=1))
    ActionFactory(item=item, owners=[leaver])
    with pytest.raises(ActionError, match="not a current member"):
        services.reassign_actions(board=board, leaver=leaver, to=outsider, by=secretary)


def test_it_refuses_reassignment_by_a_member(board, item, member, chair):
    leaver = PersonFactory(left_on=timezone.localdate())
    ActionFactory(item=item, owners=[leaver])
    with pytest.raises(ActionPermissionDenied):
        services.reassign_actions(board=board, leaver=leaver, to=chair, by=member)


def test_it_renews_the_calendar_token(member):
    old = member.calendar_token
    new = services.renew_calendar_token(person=member)
    member.refresh_from_db()
    assert member.calendar_token == new != old


def test_it_treats_a_former_member_as_no_longer_owning_whole_board_actions(item, member):
    action = ActionFactory(item=item, whole_board=True)
    Membership.objects.filter(person=member).update(ended_on=timezone.localdate())
    member.user._minutebook_memberships = {}
    with pytest.raises(ActionPermissionDenied):
        services.add_update(action=action, by=member, text="Still here?")


def test_it_lets_the_secretary_change_the_due_date_of_a_leavers_action(item, secretary, days):
    leaver = PersonFactory(left_on=days(-5))
    action = ActionFactory(item=item, owners=[leaver])
    services.update_action(action=action, by=secretary, owners=[leaver], due_on=days(7))
    action.refresh_from_db()
    assert action.due_on == days(7)
    assert list(action.owners.all()) == [leaver]


def test_an_action_is_filed_under_its_items_board(item):
    action = ActionFactory(item=item)
    assert action.board == item.meeting.board
    assert list(Action.objects.filter(board=item.meeting.board)) == [action]


# --- actions of approved minutes -----------------------------------------------------------


@pytest.fixture
def approved(item):
    """The 18 March minutes, approved at the next meeting."""
    meeting = item.meeting
    meeting.status = Meeting.Status.MINUTES_APPROVED
    meeting.approved_on = timezone.localdate()
    meeting.save()
    return meeting


def test_it_refuses_to_change_an_approved_actions_text_owners_or_due_date_without_a_reason(
    approved, action, secretary, chair, days
):
    due_on = action.due_on
    for change in (
        {"text": "Scope it"},
        {"owners": [chair]},
        {"whole_board": True},
        {"due_on": days(10)},
    ):
        with pytest.raises(MinutesFrozen, match="give a reason for the change"):
            services.update_action(action=action, by=secretary, **change)
    action.refresh_from_db()
    assert action.text == "Scope the data sharing review"
    assert [p.name for p in action.owners.all()] == ["Mo Member"]
    assert action.due_on == due_on and not action.whole_board
    assert not action.updates.exists()
    assert not Amendment.objects.exists()


def test_it_keeps_a_change_to_an_approved_action_as_an_amendment(
    approved, action, secretary, chair, days
):
    services.update_action(
        action=action,
        by=secretary,
        text="Scope it",
        owners=[chair],
        due_on=days(10),
        reason="Wrongly minuted: the chair took this on",
    )
    action.refresh_from_db()
    assert (action.text, list(action.owners.all()), action.due_on) == (
        "Scope it",
        [chair],
        days(10),
    )
    amendment = Amendment.objects.get(meeting=approved)
    assert amendment.item == action.item
    assert amendment.reason == "Wrongly minuted: the chair took this on"
    assert amendment.by == secretary.user
    assert amendment.before.startswith("Scope the data sharing review (owners: Mo Member; due ")
    assert amendment.after.startswith("Scope it (owners: Chris Chair; due ")


def test_it_still_lets_owners_update_and_close_actions_of_approved_minutes(
    approved, action, member
):
    services.add_update(action=action, by=member, text="Met the data officers")
    services.close_action(action=action, by=member, note="Review scoped")
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert not Amendment.objects.exists()


def test_it_reassigns_a_leavers_actions_on_approved_minutes_as_an_amendment(
    approved, board, item, secretary, member, days
):
    leaver = PersonFactory(name="Alison Chamberlain", left_on=days(-1))
    MembershipFactory(person=leaver, board=board, ended_on=days(-1))
    action = ActionFactory(item=item, owners=[leaver])
    services.reassign_actions(board=board, leaver=leaver, to=member, by=secretary)
    assert list(action.owners.all()) == [member]
    amendment = Amendment.objects.get(meeting=approved)
    assert "Alison Chamberlain" in amendment.reason and "has left" in amendment.reason
    assert "Mo Member" in amendment.after
