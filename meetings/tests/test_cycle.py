"""The meeting cycle: invitations with their calendar part, replies before the meeting,
circulating the draft minutes, and members' corrections with a redline."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from boards.tests.factories import BoardFactory, MembershipFactory, PersonFactory
from meetings import pdf, responses, services
from meetings.models import (
    AmendmentProposal,
    Attendance,
    ForwardPlanEntry,
    Meeting,
    MeetingMail,
    MeetingReply,
)
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(board, secretary, chair, member):
    board.secretary = secretary
    board.save()
    m = MeetingFactory(board=board, venue="Civic Offices", title="Spring meeting")
    AgendaItemFactory(meeting=m, title="Welcome and apologies", number="1", order=1)
    AgendaItemFactory(meeting=m, title="Budget 2014/15", number="2", order=2)
    AgendaItemFactory(
        meeting=m, title="Staffing EXEMPT-TITLE", number="3", order=3, confidential=True
    )
    return m


def publish(meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(meeting=meeting, status=Meeting.Status.AGENDA_PUBLISHED)


def _ics(message):
    for part in message.message().walk():
        if part.get_content_type() == "text/calendar":
            return part, Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no calendar part")


def _links(message):
    return re.findall(r"http://\S+/meetings/reply/\S+/", message.body)


# --- 1. invitations ------------------------------------------------------------------


def test_it_invites_every_current_member_when_the_agenda_is_published(
    meeting, board, member, chair, secretary, django_capture_on_commit_callbacks
):
    former = PersonFactory(name="Fay Former")
    MembershipFactory(
        person=former, board=board, started_on=dt.date(2010, 1, 1), ended_on=dt.date(2012, 1, 1)
    )
    publish(meeting, django_capture_on_commit_callbacks)
    to = sorted(m.to[0] for m in mail.outbox)
    assert len(to) == 3
    assert all(former.email not in t for t in to)
    message = next(m for m in mail.outbox if member.email in m.to[0])
    assert (
        message.subject
        == f"Spring meeting, {timezone.localtime(meeting.starts_at):%A %-d %B %Y, %H:%M}"
    )
    assert "2. Budget 2014/15" in message.body
    assert "EXEMPT-TITLE" in message.body  # a member sees confidential titles
    html = message.alternatives[0][0]
    assert "Budget 2014/15" in html
    assert "I'll attend" in html and "Send apologies" in html
    assert reverse("meetings:agenda_pack", args=[meeting.pk]) in message.body
    part, cal = _ics(message)
    assert part.get_param("method") == "REQUEST"
    assert cal["method"] == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["uid"]) == f"meeting-{meeting.pk}@minutebook"
    assert int(event["sequence"]) == 0
    assert str(event["organizer"]) == f"mailto:{secretary.email}"
    assert str(event["attendee"]) == f"mailto:{member.email}"
    assert str(event["location"]) == "Civic Offices"
    assert MeetingMail.objects.filter(kind="invitation", meeting=meeting).count() == 3


def test_an_observer_gets_the_agenda_without_confidential_titles(
    meeting, observer, django_capture_on_commit_callbacks
):
    publish(meeting, django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if observer.email in m.to[0])
    assert "Budget 2014/15" in message.body
    assert "EXEMPT-TITLE" not in message.body
    assert "EXEMPT-TITLE" not in message.alternatives[0][0]


def test_a_subject_is_plain_text_not_html_escaped(meeting, django_capture_on_commit_callbacks):
    meeting.title = "Health & Wellbeing <Board>"
    meeting.save()
    publish(meeting, django_capture_on_commit_callbacks)
    assert mail.outbox[0].subject.startswith("Health & Wellbeing <Board>,")


def test_it_sends_nothing_until_the_transaction_commits(
    meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.change_status(meeting=meeting, status=Meeting.Status.AGENDA_PUBLISHED)
    assert mail.outbox == []
    assert callbacks


def test_publishing_again_sends_no_second_invitation(meeting, django_capture_on_commit_callbacks):
    publish(meeting, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(meeting=meeting, status=Meeting.Status.DRAFT)
    publish(meeting, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3


def test_a_changed_venue_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    meeting, member, django_capture_on_commit_callbacks
):
    publish(meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    Meeting.objects.filter(pk=meeting.pk).update(venue="Wat Tyler House")
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_invitations(meeting=meeting)
    assert len(mail.outbox) == 3
    message = next(m for m in mail.outbox if member.email in m.to[0])
    assert message.subject.startswith("Changed: ")
    _, cal = _ics(message)
    event = cal.walk("VEVENT")[0]
    assert str(event["uid"]) == f"meeting-{meeting.pk}@minutebook"
    assert int(event["sequence"]) == 1
    assert str(event["location"]) == "Wat Tyler House"
    # Nothing changed: nothing sent.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_invitations(meeting=meeting)
    assert mail.outbox == []


def test_a_cancelled_meeting_sends_method_cancel_to_those_invited(
    meeting, client_for, secretary, django_capture_on_commit_callbacks
):
    publish(meeting, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(reverse("meetings:cancel", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert len(mail.outbox) == 3
    part, cal = _ics(mail.outbox[0])
    assert part.get_param("method") == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1
    assert mail.outbox[0].subject.startswith("Cancelled: ")


def test_a_held_meeting_cannot_be_cancelled(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    with pytest.raises(Exception, match="not yet held"):
        services.cancel_meeting(meeting=meeting)


def test_the_organizer_is_the_sender_when_the_board_has_no_secretary(
    meeting, board, settings, django_capture_on_commit_callbacks
):
    board.secretary = None
    board.save()
    settings.DEFAULT_FROM_EMAIL = "Board Office <office@example.org>"
    publish(meeting, django_capture_on_commit_callbacks)
    _, cal = _ics(mail.outbox[0])
    assert str(cal.walk("VEVENT")[0]["organizer"]) == "mailto:office@example.org"


# --- 2. replies before the meeting -------------------------------------------------------


def _link(member, response):
    message = next(m for m in mail.outbox if member.email in m.to[0])
    return next(u for u in _links(message) if f"/reply/{response}/" in u).split("testserver")[-1]


def _path(url):
    return url.split("127.0.0.1:8000")[-1]


def test_the_apologies_link_records_apologies_and_a_substitute_without_sign_in(
    meeting, board, member, client, django_capture_on_commit_callbacks
):
    deputy = PersonFactory(name="Dee Deputy", added_for=board)
    publish(meeting, django_capture_on_commit_callbacks)
    path = _path(_link(member, "apologies"))
    page = client.get(path)
    assert page.status_code == 200
    assert "Send apologies" in page.content.decode()
    assert not MeetingReply.objects.exists()  # a GET (a mail scanner) records nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"substitute": deputy.pk})
    assert "your reply is recorded" in response.content.decode()
    reply = MeetingReply.objects.get(person=member)
    assert reply.response == "apologies" and reply.substitute == deputy and reply.via == "link"
    assert Attendance.objects.get(meeting=meeting, person=member).status == "apologies"
    sub = Attendance.objects.get(meeting=meeting, person=deputy)
    assert sub.status == "present" and sub.substitute_for == member
    # The substitute named is invited.
    assert [m.to[0] for m in mail.outbox] == [f'"Dee Deputy" <{deputy.email}>']
    # Single use: the same link, or the other one, is refused now.
    again = client.post(path, {})
    assert "already replied" in again.content.decode()
    attend = client.post(
        _path(_link(member, "attend")) if False else path.replace("/apologies/", "/attend/")
    )
    assert attend.status_code == 404  # a token is tied to its purpose (salt)
    assert Attendance.objects.get(meeting=meeting, person=member).status == "apologies"


def test_the_attend_link_marks_the_member_expected_and_the_forecast_counts_them(
    meeting, board, member, chair, secretary, client, client_for,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    board.quorum = 2
    board.save()
    publish(meeting, django_capture_on_commit_callbacks)
    for person in (member, chair):
        r = client.post(_path(_link(person, "attend")))
        assert "your reply is recorded" in r.content.decode(), r.content.decode()[-2500:]
    assert MeetingReply.objects.filter(response="attend").count() == 2
    page = client_for(secretary).get(reverse("meetings:edit", args=[meeting.pk])).content.decode()
    assert "Replies to the invitation" in page
    assert "Forecast: 2 voting members expected; the quorum is 2." in page
    assert "no reply yet" in page  # the secretary has not replied


def test_a_forged_or_altered_link_is_refused(
    meeting, member, client, django_capture_on_commit_callbacks
):
    publish(meeting, django_capture_on_commit_callbacks)
    path = _path(_link(member, "attend"))
    response = client.post(path[:-3] + "xx/")
    assert response.status_code == 404
    assert not MeetingReply.objects.exists()


def test_a_member_replies_on_the_meeting_page_and_may_change_it(
    meeting, member, client_for, django_capture_on_commit_callbacks
):
    publish(meeting, django_capture_on_commit_callbacks)
    client = client_for(member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Will you be there?" in page
    url = reverse("meetings:reply_on_page", args=[meeting.pk])
    client.post(url, {"response": "attend"})
    client.post(url, {"response": "apologies", "substitute": ""})
    reply = MeetingReply.objects.get(person=member)
    assert reply.response == "apologies" and reply.via == "page"
    assert Attendance.objects.get(meeting=meeting, person=member).status == "apologies"


def test_replies_close_when_the_meeting_has_been_held(meeting, member):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    with pytest.raises(responses.ReplyRefused):
        responses.record_reply(meeting=meeting, person=member, response="attend")


def test_someone_not_on_the_board_cannot_reply(
    meeting, outsider, django_capture_on_commit_callbacks
):
    publish(meeting, django_capture_on_commit_callbacks)
    with pytest.raises(responses.ReplyRefused, match="current member"):
        responses.record_reply(meeting=meeting, person=outsider, response="attend")


# --- 3. circulation -------------------------------------------------------------------------


def test_circulating_e_mails_each_member_the_right_copy_of_the_draft(
    meeting, member, observer, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    meeting.items.filter(confidential=True).update(minutes="Restructure SECRET-WORDS")
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(meeting=meeting, status=Meeting.Status.MINUTES_DRAFTED)
    meeting.refresh_from_db()
    assert meeting.minutes_circulated_at is not None
    assert len(mail.outbox) == 4  # secretary, chair, member, observer

    def pdf_text(person):
        message = next(m for m in mail.outbox if person.email in m.to[0])
        assert message.subject.startswith("Draft minutes: Spring meeting")
        assert message.alternatives[0][1] == "text/html"
        name, content, mimetype = message.attachments[0]
        assert mimetype == "application/pdf"
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)

    assert "SECRET-WORDS" in pdf_text(member)
    assert "SECRET-WORDS" not in pdf_text(observer)
    kinds = dict(MeetingMail.objects.filter(meeting=meeting).values_list("person_id", "kind"))
    assert kinds[member.pk] == "draft_minutes"
    assert kinds[observer.pk] == "draft_minutes_public"


# --- 4. members' corrections ----------------------------------------------------------------


@pytest.fixture
def drafted(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.MINUTES_DRAFTED)
    item = meeting.items.get(number="2")
    item.minutes = "The Board noted the budget of £25k for 2014/15."
    item.save()
    return item


def test_a_member_proposes_and_the_secretary_accepts_from_the_redline(
    drafted, member, secretary, client_for, django_capture_on_commit_callbacks
):
    client = client_for(member)
    page = client.get(drafted.meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:propose", args=[drafted.pk]) in page
    client.post(
        reverse("meetings:propose", args=[drafted.pk]),
        {"text": "The Board agreed the budget of £30k for 2014/15."},
    )
    proposal = AmendmentProposal.objects.get()
    assert proposal.base_version == drafted.version and proposal.status == "proposed"
    secretary_client = client_for(secretary)
    listing = secretary_client.get(reverse("meetings:proposals", args=[drafted.meeting_id]))
    html = listing.content.decode()
    assert "<del>noted</del><ins>agreed</ins>" in html
    assert "<del>£25k</del><ins>£30k</ins>" in html
    with django_capture_on_commit_callbacks(execute=True):
        secretary_client.post(
            reverse("meetings:proposal_decide", args=[proposal.pk]),
            {"decision": "accept", "note": "Thank you"},
        )
    drafted.refresh_from_db()
    proposal.refresh_from_db()
    assert drafted.minutes == "The Board agreed the budget of £30k for 2014/15."
    assert proposal.status == "accepted" and proposal.decided_by == secretary
    told = mail.outbox[-1]
    assert member.email in told.to[0]
    assert told.subject.startswith("Your correction was accepted: item 2")
    assert "Thank you" in told.body


def test_a_rejection_needs_a_note_and_tells_the_proposer(
    drafted, member, secretary, django_capture_on_commit_callbacks
):
    proposal = responses.propose_amendment(item=drafted, proposer=member, text="Other words.")
    with pytest.raises(responses.ProposalRefused):
        responses.reject_amendment(proposal=proposal, by=secretary, note=" ")
    with django_capture_on_commit_callbacks(execute=True):
        responses.reject_amendment(proposal=proposal, by=secretary, note="Not what was said")
    proposal.refresh_from_db()
    drafted.refresh_from_db()
    assert proposal.status == "rejected"
    assert drafted.minutes.startswith("The Board noted")
    assert "was not accepted" in mail.outbox[-1].subject
    assert "Not what was said" in mail.outbox[-1].body


def test_two_proposals_on_one_item_are_a_conflict_never_merged(drafted, member, chair, secretary):
    first = responses.propose_amendment(item=drafted, proposer=member, text="First words.")
    second = responses.propose_amendment(item=drafted, proposer=chair, text="Second words.")
    assert responses.conflicting(AmendmentProposal.objects.select_related("item")) == {
        first.pk,
        second.pk,
    }
    responses.accept_amendment(proposal=first, by=secretary)
    with pytest.raises(responses.ProposalRefused, match="changed after"):
        responses.accept_amendment(proposal=second, by=secretary)
    drafted.refresh_from_db()
    second.refresh_from_db()
    assert drafted.minutes == "First words."
    assert second.status == "proposed"


def test_approved_minutes_take_no_proposals(drafted, member, client_for):
    Meeting.objects.filter(pk=drafted.meeting_id).update(
        status=Meeting.Status.MINUTES_APPROVED, approved_on=dt.date(2014, 5, 1)
    )
    with pytest.raises(responses.ProposalRefused, match="draft minutes"):
        responses.propose_amendment(item=drafted, proposer=member, text="New words.")
    response = client_for(member).post(
        reverse("meetings:propose", args=[drafted.pk]), {"text": "New words."}
    )
    assert "not a draft" in response.content.decode()
    assert not AmendmentProposal.objects.exists()


def test_an_observer_cannot_propose(drafted, observer, client_for):
    response = client_for(observer).post(
        reverse("meetings:propose", args=[drafted.pk]), {"text": "New words."}
    )
    assert response.status_code == 403


def test_the_redline_escapes_what_members_type():
    assert (
        responses.redline("a <b> c", "a <i> c") == "a <del>&lt;b&gt;</del><ins>&lt;i&gt;</ins> c"
    )


def test_approval_names_the_amendments_circulated_and_the_pdf_lists_them(
    drafted, member, chair, secretary, board
):
    proposal = responses.propose_amendment(
        item=drafted, proposer=member, text="The Board agreed the budget of £30k."
    )
    responses.accept_amendment(proposal=proposal, by=secretary, note="As minuted")
    later = MeetingFactory(
        board=board,
        starts_at=drafted.meeting.starts_at + dt.timedelta(days=30),
        status=Meeting.Status.HELD,
    )
    Meeting.objects.filter(pk=later.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    Meeting.objects.filter(pk=drafted.meeting_id).update(
        starts_at=timezone.now() - dt.timedelta(days=30)
    )
    notes = AgendaItemFactory(meeting=later, title="Notes of the last meeting")
    decision = services.approve_minutes(item=notes, earlier=drafted.meeting, by=chair.user)
    assert "agreed as an accurate record, with the amendments circulated." in decision.text
    text = "".join(
        p.extract_text()
        for p in PdfReader(
            io.BytesIO(pdf.build_minutes_pdf(drafted.meeting, public=False).read())
        ).pages
    )
    assert "Amendments circulated" in text
    assert "proposed by Mo Member" in text
    assert "£30k" in text


# --- 5. the forward plan and the decision register -------------------------------------


def test_a_deferred_decision_is_offered_on_the_next_agenda_with_a_link_back(
    meeting, board, secretary, member, client_for
):
    item = meeting.items.get(number="2")
    services.add_decision(item=item, kind="deferred", text="To come back with costs.")
    services.add_decision(item=item, kind="agreed", text="To note the report.")
    entry = ForwardPlanEntry.objects.get()
    assert entry.title == "Budget 2014/15" and entry.status == "waiting"
    # Not offered at the meeting that deferred it.
    assert not ForwardPlanEntry.objects.due_at(meeting).exists()
    nxt = MeetingFactory(board=board, starts_at=meeting.starts_at + dt.timedelta(days=60))
    client = client_for(secretary)
    page = client.get(reverse("meetings:edit", args=[nxt.pk])).content.decode()
    assert "From the forward plan" in page and "Budget 2014/15" in page
    assert f"#item-{item.pk}" in page
    client.post(reverse("meetings:forward_plan_add", args=[nxt.pk]), {"entry": entry.pk})
    entry.refresh_from_db()
    added = nxt.items.get(title="Budget 2014/15")
    assert entry.status == "on_agenda" and entry.item == added and added.follows == item
    board_plan = client_for(member).get(
        reverse("meetings:forward_plan", args=[board.slug]), headers={"HX-Request": "true"}
    )
    assert "On an agenda" in board_plan.content.decode()


def test_a_deferral_on_a_confidential_item_stays_out_of_an_observers_forward_plan(
    meeting, board, observer, member, client_for
):
    secret = meeting.items.get(number="3")
    services.add_decision(item=secret, kind="deferred", text="Later.")
    url = reverse("meetings:forward_plan", args=[board.slug])
    assert "EXEMPT-TITLE" not in client_for(observer).get(url).content.decode()
    assert "EXEMPT-TITLE" in client_for(member).get(url).content.decode()


def test_the_decision_register_filters_by_kind_year_and_words(
    meeting, board, observer, client_for
):
    item = meeting.items.get(number="2")
    services.add_decision(item=item, kind="agreed", text="To fund the hub £25k.")
    services.add_decision(item=item, kind="noted", text="The quarterly report.")
    services.add_decision(
        item=meeting.items.get(number="3"), kind="agreed", text="To restructure SECRET-WORDS"
    )
    url = reverse("meetings:decisions", args=[board.slug])
    client = client_for(observer)
    page = client.get(url).content.decode()
    assert "To fund the hub £25k." in page and "The quarterly report." in page
    assert "SECRET-WORDS" not in page  # the one visibility rule, not a filter of ours
    only_noted = client.get(url, {"kind": "noted"}).content.decode()
    assert "The quarterly report." in only_noted and "To fund the hub" not in only_noted
    assert "To fund" in client.get(url, {"q": "hub"}).content.decode()
    year = timezone.localtime(meeting.starts_at).year
    assert "No decisions match." in client.get(url, {"year": year - 3}).content.decode()
    assert "To fund" in client.get(url, {"year": year}).content.decode()


def test_the_register_exports_as_csv_with_formulas_escaped(meeting, board, member, client_for):
    item = meeting.items.get(number="2")
    services.add_decision(item=item, kind="agreed", text='=HYPERLINK("http://x")')
    services.add_decision(item=item, kind="noted", text="The quarterly report.")
    response = client_for(member).get(
        reverse("meetings:decisions_export", args=[board.slug, "csv"]), {"kind": "agreed"}
    )
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in body
    assert "quarterly" not in body


def test_a_matter_is_referred_to_the_parent_boards_plan_and_shows_on_both(
    meeting, board, secretary, client_for
):
    parent = BoardFactory(name="Health and Wellbeing Board", slug="hwb")
    board.parent = parent
    board.save()
    services.add_decision(item=meeting.items.get(number="2"), kind="deferred", text="Later.")
    entry = ForwardPlanEntry.objects.get()
    client = client_for(secretary)
    client.post(reverse("meetings:forward_plan_refer", args=[entry.pk]))
    referred = ForwardPlanEntry.objects.get(board=parent)
    assert referred.referred_from == entry and referred.title == "Budget 2014/15"
    page = client.get(reverse("meetings:forward_plan", args=[board.slug])).content.decode()
    assert "Referred to" in page and "Health and Wellbeing Board" in page
    with pytest.raises(Exception, match="already referred"):
        services.refer_to_parent(entry=entry)


def test_a_matter_from_a_confidential_item_is_not_referred(meeting, board):
    board.parent = BoardFactory(slug="parent")
    board.save()
    services.add_decision(item=meeting.items.get(number="3"), kind="deferred", text="Later.")
    with pytest.raises(Exception, match="in private"):
        services.refer_to_parent(entry=ForwardPlanEntry.objects.get())
    assert ForwardPlanEntry.objects.count() == 1
