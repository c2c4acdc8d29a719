import datetime as dt

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from actions.models import Action
from actions.tests.factories import ActionFactory
from meetings.models import Meeting
from meetings.tests.factories import AgendaItemFactory, MeetingFactory


def _parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_it_gives_a_person_their_meetings_and_actions(
    client, board, other_board, item, member, next_meeting, days
):
    ActionFactory(item=item, owners=[member], text="Scope the review", due_on=days(5))
    by_meeting = ActionFactory(item=item, owners=[member], text="Report back", due_on=None)
    done = ActionFactory(item=item, owners=[member], text="Finished")
    done.set_status(Action.Status.DONE)
    done.save()
    ActionFactory(item=item, text="Someone else's")
    MeetingFactory(board=other_board)  # a board they are not on

    cal = _parse(client.get(reverse("actions:person_feed", args=[member.calendar_token])))

    events = cal.walk("VEVENT")
    assert len(events) == 2  # the past and the next meeting of their board
    assert {e["SUMMARY"] for e in events} == {"One Swindon Board (Ordinary meeting)"}
    assert events[0]["LOCATION"] == "Civic Offices, Swindon"
    todos = {str(t["SUMMARY"]): t for t in cal.walk("VTODO")}
    assert set(todos) == {"Scope the review", "Report back", "Finished"}
    assert todos["Scope the review"].decoded("DUE") == days(5)
    assert todos["Scope the review"]["STATUS"] == "NEEDS-ACTION"
    # "By the next meeting" falls due on the day of that meeting.
    assert todos["Report back"].decoded("DUE") == timezone.localdate(next_meeting.starts_at)
    assert todos["Finished"]["STATUS"] == "COMPLETED"
    assert "COMPLETED" in todos["Finished"]
    assert todos["Report back"]["UID"] == f"action-{by_meeting.pk}@minutebook"


def test_a_feed_polled_again_unchanged_is_served_as_built(
    client, item, member, django_assert_num_queries
):
    ActionFactory(item=item, owners=[member], text="Scope the review")
    url = reverse("actions:person_feed", args=[member.calendar_token])
    first = client.get(url).content
    # The person by their token, then the record's version: nothing is built again.
    with django_assert_num_queries(2):
        again = client.get(url).content
    assert again == first


def test_a_feed_shows_a_meetings_new_venue_and_a_new_action_at_once(
    client, item, member, next_meeting
):
    url = reverse("actions:person_feed", args=[member.calendar_token])
    client.get(url)
    next_meeting.venue = "Council Chamber, Euclid Street"
    next_meeting.save(update_fields=["venue"])
    cal = _parse(client.get(url))
    assert "Council Chamber, Euclid Street" in {str(e.get("LOCATION")) for e in cal.walk("VEVENT")}
    ActionFactory(item=item, owners=[member], text="Book the chamber")
    cal = _parse(client.get(url))
    assert "Book the chamber" in {str(t["SUMMARY"]) for t in cal.walk("VTODO")}


def test_it_refuses_an_unknown_calendar_token(client, db):
    assert client.get(reverse("actions:person_feed", args=["nope"])).status_code == 404


def test_it_publishes_a_boards_meeting_dates(client, board, past_meeting, next_meeting):
    Meeting.objects.filter(pk=past_meeting.pk).update(status=Meeting.Status.HELD)
    Meeting.objects.filter(pk=next_meeting.pk).update(status=Meeting.Status.AGENDA_PUBLISHED)
    AgendaItemFactory(meeting=next_meeting, title="Confidential budget", confidential=True)
    response = client.get(reverse("actions:board_feed", args=[board.slug]))
    cal = _parse(response)
    starts = [e.decoded("DTSTART") for e in cal.walk("VEVENT")]
    assert starts == [m.starts_at.replace(microsecond=0) for m in (past_meeting, next_meeting)]
    assert cal.walk("VEVENT")[0].decoded("DTEND") - starts[0] == dt.timedelta(hours=2)
    assert "Confidential budget" not in response.content.decode()
    assert cal.walk("VTODO") == []


def test_it_leaves_draft_meetings_out_of_the_public_board_calendar(client, board, next_meeting):
    MeetingFactory(board=board, title="Pencilled-in away day", status=Meeting.Status.DRAFT)
    Meeting.objects.filter(pk=next_meeting.pk).update(status=Meeting.Status.AGENDA_PUBLISHED)
    response = client.get(reverse("actions:board_feed", args=[board.slug]))
    body = response.content.decode()
    assert len(_parse(response).walk("VEVENT")) == 1
    assert "Pencilled-in away day" not in body
