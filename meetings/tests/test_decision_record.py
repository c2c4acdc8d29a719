"""Points 5, 7 and 8 of the meeting cycle: a decision brought back through the forward
plan, recorded votes, and declarations of those who left the room; with the substitute
invited by hand and the cancellation asked for first."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from boards.models import Membership
from boards.tests.factories import MembershipFactory, PersonFactory
from meetings import pdf, services
from meetings.models import Amendment, Attendance, ForwardPlanEntry, Meeting
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting(board, secretary):
    board.secretary = secretary
    board.save()
    m = MeetingFactory(board=board, venue="Civic Offices")
    AgendaItemFactory(meeting=m, title="Apologies", number="1", order=1)
    AgendaItemFactory(meeting=m, title="Youth hub lease", number="2", order=2)
    AgendaItemFactory(meeting=m, title="Any other business", number="3", order=3)
    return m


def _pdf_text(meeting, public=False) -> str:
    data = pdf.build_minutes_pdf(meeting, public=public).read()
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- 5. "bring back" ---------------------------------------------------------------


def test_it_brings_back_an_agreed_decision_in_the_month_given(
    meeting, board, client_for, secretary
):
    item = meeting.items.get(number="2")
    month = (meeting.starts_at + dt.timedelta(days=70)).date()
    response = client_for(secretary).post(
        reverse("meetings:decision_add", args=[item.pk]),
        {
            "kind": "agreed",
            "text": "To report back on the lease terms.",
            "bring_back": "on",
            "bring_back_month": f"{month:%Y-%m}",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert f"To come back in {month:%B %Y}" in response.content.decode()
    entry = ForwardPlanEntry.objects.get()
    assert entry.title == "Youth hub lease" and entry.target_month == month.replace(day=1)
    # Not due at a meeting before that month; offered at one in it, with a link back.
    soon = MeetingFactory(board=board, starts_at=meeting.starts_at + dt.timedelta(days=20))
    later = MeetingFactory(board=board, starts_at=meeting.starts_at + dt.timedelta(days=75))
    client = client_for(secretary)
    assert (
        "Youth hub lease"
        not in client.get(reverse("meetings:edit", args=[soon.pk])).content.decode()
    )
    page = client.get(reverse("meetings:edit", args=[later.pk])).content.decode()
    assert "From the forward plan" in page and "to come back from" in page
    assert f"#item-{item.pk}" in page


def test_it_brings_back_to_a_named_later_meeting_only(meeting, board):
    item = meeting.items.get(number="2")
    target = MeetingFactory(board=board, starts_at=meeting.starts_at + dt.timedelta(days=90))
    between = MeetingFactory(board=board, starts_at=meeting.starts_at + dt.timedelta(days=30))
    decision = services.add_decision(
        item=item, kind="noted", text="To return with a business case.", bring_back_meeting=target
    )
    assert decision.bring_back
    assert not ForwardPlanEntry.objects.due_at(between).exists()
    assert ForwardPlanEntry.objects.due_at(target).get().source_decision == decision


def test_it_refuses_to_bring_back_to_an_earlier_meeting_or_another_board(
    meeting, board, other_board
):
    item = meeting.items.get(number="2")
    earlier = MeetingFactory(board=board, starts_at=meeting.starts_at - dt.timedelta(days=30))
    elsewhere = MeetingFactory(
        board=other_board, starts_at=meeting.starts_at + dt.timedelta(days=30)
    )
    for target in (earlier, elsewhere):
        with pytest.raises(ValidationError, match="later meeting of this board"):
            services.add_decision(
                item=item, kind="agreed", text="Back soon.", bring_back_meeting=target
            )
    assert not ForwardPlanEntry.objects.exists() and not item.decisions.exists()


def test_a_decision_not_brought_back_stays_out_of_the_forward_plan(meeting):
    services.add_decision(item=meeting.items.get(number="2"), kind="agreed", text="Agreed.")
    assert not ForwardPlanEntry.objects.exists()


def test_a_bad_month_keeps_the_decision_typed(meeting, client_for, secretary):
    item = meeting.items.get(number="2")
    response = client_for(secretary).post(
        reverse("meetings:decision_add", args=[item.pk]),
        {"kind": "agreed", "text": "Keep this text", "bring_back_month": "March"},
        **HTMX,
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Give a month." in body and "Keep this text" in body
    assert not item.decisions.exists()


# --- 7. recorded votes ---------------------------------------------------------------


@pytest.fixture
def voters(meeting, board):
    people = []
    for name in ("Ann Able", "Bob Baker", "Cat Cole"):
        person = MembershipFactory(
            board=board, role=Membership.Role.MEMBER, person__name=name
        ).person
        services.set_attendance(meeting=meeting, person=person, status="present")
        people.append(person)
    return people


def test_it_records_mover_seconder_and_counts_and_prints_them(
    meeting, voters, client_for, secretary, member
):
    item = meeting.items.get(number="2")
    decision = services.add_decision(item=item, kind="agreed", text="To take the lease.")
    ann, bob, _ = voters
    response = client_for(secretary).post(
        reverse("meetings:decision_vote", args=[decision.pk]),
        {
            "mover": ann.pk,
            "seconder": bob.pk,
            "votes_for": "8",
            "votes_against": "2",
            "votes_abstained": "1",
        },
        **HTMX,
    )
    assert response.status_code == 200
    line = "Moved by Ann Able, seconded by Bob Baker. For 8, against 2, abstaining 1."
    assert line in response.content.decode()
    assert line in client_for(member).get(meeting.get_absolute_url()).content.decode()
    assert line in _flat(_pdf_text(meeting))


def test_named_votes_print_who_voted_which_way_and_set_the_counts(meeting, voters):
    ann, bob, cat = voters
    decision = services.add_decision(
        item=meeting.items.get(number="2"), kind="agreed", text="To take the lease."
    )
    decision = services.record_vote(
        decision=decision, named={ann: "for", bob: "for", cat: "against"}
    )
    assert (decision.votes_for, decision.votes_against, decision.votes_abstained) == (2, 1, 0)
    assert decision.vote_summary == "For (2): Ann Able, Bob Baker; Against (1): Cat Cole."
    assert "Against (1): Cat Cole." in _flat(_pdf_text(meeting))


def test_the_mover_cannot_second_their_own_motion(meeting, voters, client_for, secretary):
    decision = services.add_decision(
        item=meeting.items.get(number="2"), kind="agreed", text="To take the lease."
    )
    response = client_for(secretary).post(
        reverse("meetings:decision_vote", args=[decision.pk]),
        {"mover": voters[0].pk, "seconder": voters[0].pk},
        **HTMX,
    )
    assert response.status_code == 422
    assert "someone other than the mover" in response.content.decode()
    decision.refresh_from_db()
    assert decision.mover is None


def test_a_vote_on_approved_minutes_needs_a_reason_and_is_an_amendment(
    meeting, board, voters, chair
):
    item = meeting.items.get(number="2")
    decision = services.add_decision(item=item, kind="agreed", text="To take the lease.")
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.MINUTES_APPROVED, approved_on=dt.date(2026, 1, 5)
    )
    with pytest.raises(ValidationError, match="give a reason"):
        services.record_vote(decision=decision, votes_for=5)
    decision.refresh_from_db()
    assert decision.votes_for is None
    services.record_vote(decision=decision, votes_for=5, reason="Count was omitted", by=chair.user)
    amendment = Amendment.objects.get(field="vote")
    assert amendment.before == "(1) No vote recorded" and amendment.after == "(1) For 5."
    assert amendment.reason == "Count was omitted"


# --- 8. declarations and presence -------------------------------------------------


def test_one_who_left_the_room_is_out_of_that_items_quorum_and_the_minutes_say_so(
    meeting, board, voters, client_for, secretary, member
):
    board.quorum = 3
    board.save()
    item = meeting.items.get(number="2")
    ann = voters[0]
    client = client_for(secretary)
    response = client.post(
        reverse("meetings:declaration_add", args=[meeting.pk]),
        {
            "person": ann.pk,
            "item": item.pk,
            "nature": "she is a trustee of the hub",
            "left_room": "on",
        },
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    # the quorum shown beside the attendance is refreshed with the declaration
    assert 'id="quorum" hx-swap-oob="true"' in body and "Not quorate at item 2." in body
    screen = client.get(reverse("meetings:edit", args=[meeting.pk])).content.decode()
    assert "Not quorate at item 2." in screen  # items 1 and 3 keep their quorum
    sentence = (
        "Ann Able declared an interest (she is a trustee of the hub) "
        "and left the meeting for this item."
    )
    assert sentence in client_for(member).get(meeting.get_absolute_url()).content.decode()
    assert sentence in _flat(_pdf_text(meeting))


def test_leaving_the_room_needs_the_item(meeting, voters):
    with pytest.raises(ValidationError, match="Choose the item"):
        services.declare_interest(
            meeting=meeting, person=voters[0], nature="a trustee", left_room=True
        )


# --- 1 and the cancel step --------------------------------------------------------------


def test_a_substitute_named_by_hand_after_publishing_is_invited(
    meeting, board, member, client_for, secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(meeting=meeting, status=Meeting.Status.AGENDA_PUBLISHED)
    deputy = PersonFactory(name="Dee Deputy", added_for=board)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretary).post(
            reverse("meetings:attendance_add", args=[meeting.pk]),
            {"person": deputy.pk, "status": "present", "substitute_for": member.pk},
            **HTMX,
        )
    assert Attendance.objects.get(meeting=meeting, person=deputy).substitute_for == member
    assert [m.to[0] for m in mail.outbox] == [f'"Dee Deputy" <{deputy.email}>']
    ics = next(
        p for p in mail.outbox[0].message().walk() if p.get_content_type() == "text/calendar"
    )
    assert ics.get_param("method") == "REQUEST"
    event = Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")[0]
    assert "Civic Offices" in str(event["location"])


def test_cancelling_asks_first_and_sends_nothing_until_confirmed(
    meeting, member, chair, client_for, secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(meeting=meeting, status=Meeting.Status.AGENDA_PUBLISHED)
    invited = len(mail.outbox)
    assert invited == 3
    mail.outbox.clear()
    client = client_for(secretary)
    screen = client.get(reverse("meetings:edit", args=[meeting.pk])).content.decode()
    cancel_url = reverse("meetings:cancel", args=[meeting.pk])
    assert f'<a class="btn btn-sm btn-outline-danger" href="{cancel_url}">' in screen
    page = client.get(cancel_url)
    assert page.status_code == 200
    assert (
        f"{invited} people who were sent the invitation will be e-mailed" in page.content.decode()
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel_url)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and len(mail.outbox) == invited
