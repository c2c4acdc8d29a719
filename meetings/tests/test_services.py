import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boards.models import Membership
from boards.tests.factories import MembershipFactory, PersonFactory
from meetings import services
from meetings.models import AgendaItem, Amendment, Attendance, Decision, Meeting
from meetings.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _numbers(meeting):
    return list(AgendaItem.objects.filter(meeting=meeting).values_list("title", "number"))


def test_it_starts_a_meeting_with_the_standard_items(board):
    meeting = services.create_meeting(board=board, starts_at=timezone.now())
    assert _numbers(meeting) == [
        ("Welcome and apologies", "1"),
        ("Notes of the last meeting", "2"),
        ("Matters arising", "3"),
        ("Any other business", "4"),
        ("Date of next meeting", "5"),
    ]
    assert meeting.status == Meeting.Status.DRAFT


def test_it_adds_a_new_item_before_any_other_business(board):
    meeting = services.create_meeting(board=board, starts_at=timezone.now())
    services.add_item(meeting=meeting, title="Shared strategy")
    assert _numbers(meeting)[3:] == [
        ("Shared strategy", "4"),
        ("Any other business", "5"),
        ("Date of next meeting", "6"),
    ]


def test_it_renumbers_items_and_sub_items_after_a_reorder(board):
    meeting = services.create_meeting(board=board, starts_at=timezone.now(), standard_items=[])
    a = services.add_item(meeting=meeting, title="A")
    b = services.add_item(meeting=meeting, title="B")
    b1 = services.add_item(meeting=meeting, title="B1", sub_item=True)
    c = services.add_item(meeting=meeting, title="C")
    assert _numbers(meeting) == [("A", "1"), ("B", "2"), ("B1", "2.1"), ("C", "3")]

    services.renumber(meeting=meeting, order=[c.pk, a.pk, b1.pk, b.pk])
    # B1 now follows A, so it becomes A's sub-item.
    assert _numbers(meeting) == [("C", "1"), ("A", "2"), ("B1", "2.1"), ("B", "3")]
    b1.refresh_from_db()
    assert b1.parent_id == a.pk

    services.renumber(meeting=meeting, order=[b1.pk, c.pk, a.pk, b.pk])
    # A sub-item at the top has nothing to belong to: it becomes item 1.
    assert _numbers(meeting)[0] == ("B1", "1")


def test_it_indents_and_outdents_an_item(board):
    meeting = services.create_meeting(board=board, starts_at=timezone.now(), standard_items=[])
    services.add_item(meeting=meeting, title="A")
    b = services.add_item(meeting=meeting, title="B")
    services.set_sub_item(item=b, sub_item=True)
    assert _numbers(meeting) == [("A", "1"), ("B", "1.1")]
    b.refresh_from_db()
    services.set_sub_item(item=b, sub_item=False)
    assert _numbers(meeting) == [("A", "1"), ("B", "2")]


def test_it_renumbers_after_a_delete(board):
    meeting = services.create_meeting(board=board, starts_at=timezone.now())
    services.delete_item(item=meeting.items.get(title="Matters arising"))
    assert [n for _, n in _numbers(meeting)] == ["1", "2", "3", "4"]


def test_it_saves_minutes_and_counts_versions():
    item = AgendaItemFactory(minutes="")
    saved = services.save_minutes(item=item, text="First words.", version=1)
    assert (saved.minutes, saved.version) == ("First words.", 2)


def test_it_refuses_a_stale_save_and_keeps_both_texts():
    item = AgendaItemFactory(minutes="")
    services.save_minutes(item=item, text="Secretary one typed this.", version=1)
    with pytest.raises(services.MinutesConflict) as conflict:
        services.save_minutes(item=item, text="Secretary two typed that.", version=1)
    assert conflict.value.mine == "Secretary two typed that."
    assert conflict.value.item.minutes == "Secretary one typed this."
    item.refresh_from_db()
    assert item.minutes == "Secretary one typed this."


def test_it_needs_a_reason_to_change_approved_minutes_and_keeps_an_amendment():
    item = AgendaItemFactory(minutes="Gavin Jones was present.")
    meeting = item.meeting
    meeting.status = Meeting.Status.MINUTES_APPROVED
    meeting.approved_on = dt.date(2014, 4, 29)
    meeting.save()
    with pytest.raises(ValidationError):
        services.save_minutes(item=item, text="Gavin Jones sent apologies.", version=1)
    services.save_minutes(
        item=item, text="Gavin Jones sent apologies.", version=1, reason="Corrected at 29 April"
    )
    amendment = Amendment.objects.get(meeting=meeting)
    assert (amendment.before, amendment.after, amendment.reason) == (
        "Gavin Jones was present.",
        "Gavin Jones sent apologies.",
        "Corrected at 29 April",
    )


def test_it_numbers_decisions_and_closes_gaps_on_delete():
    item = AgendaItemFactory()
    first = services.add_decision(item=item, kind=Decision.Kind.AGREED, text="One")
    services.add_decision(item=item, kind=Decision.Kind.AGREED, text="Two")
    services.add_decision(item=item, kind=Decision.Kind.NOTED, text="Three")
    services.delete_decision(decision=first)
    assert list(item.decisions.values_list("number", "text")) == [(1, "Two"), (2, "Three")]


def _held(board, **kwargs):
    """A meeting that has taken place: minutes can be approved at it."""
    meeting = services.create_meeting(board=board, starts_at=timezone.now(), **kwargs)
    return services.change_status(meeting=meeting, status=Meeting.Status.HELD)


def test_it_approves_earlier_minutes_and_freezes_them(board, chair):
    january = MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=50))
    march = _held(board)
    item = march.items.get(title="Notes of the last meeting")
    decision = services.approve_minutes(
        item=item, earlier=january, corrections="Stan Pajak sent apologies.", by=chair.user
    )
    january.refresh_from_db()
    assert january.status == Meeting.Status.MINUTES_APPROVED
    assert january.is_frozen
    assert january.approved_at == march
    assert january.approved_on == timezone.localtime(march.starts_at).date()
    assert january.corrections == "Stan Pajak sent apologies."
    assert decision.approves == january
    assert "agreed as an accurate record" in decision.text
    with pytest.raises(ValidationError):
        services.approve_minutes(item=item, earlier=january, by=chair.user)


def test_it_refuses_to_approve_a_later_meeting(board, chair):
    march = _held(board)
    later = MeetingFactory(board=board, starts_at=timezone.now() + dt.timedelta(days=30))
    with pytest.raises(ValidationError):
        services.approve_minutes(item=march.items.first(), earlier=later, by=chair.user)


def test_it_stamps_circulation_when_the_draft_minutes_go_out(board):
    meeting = services.create_meeting(board=board, starts_at=timezone.now())
    services.change_status(meeting=meeting, status=Meeting.Status.HELD)
    meeting = services.change_status(meeting=meeting, status=Meeting.Status.MINUTES_DRAFTED)
    assert meeting.minutes_circulated_at is not None
    with pytest.raises(ValidationError):
        services.change_status(meeting=meeting, status=Meeting.Status.MINUTES_APPROVED)


def _quorum(meeting):
    items = list(meeting.items.all())
    attendances = list(meeting.attendances.all())
    return services.quorum_for(
        meeting=meeting,
        items=items,
        attendances=attendances,
        voting_ids=services.voting_member_ids(meeting.board),
    )


def test_it_says_at_which_items_a_meeting_was_not_quorate(board):
    board.quorum = 2
    board.save()
    meeting = services.create_meeting(board=board, starts_at=timezone.now())
    ann, bob, cat = (
        MembershipFactory(board=board, role=Membership.Role.MEMBER).person for _ in range(3)
    )
    adviser = MembershipFactory(board=board, role=Membership.Role.ADVISER).person
    items = list(meeting.items.all())
    AttendanceFactory(meeting=meeting, person=ann)
    AttendanceFactory(meeting=meeting, person=adviser)  # advisers do not count
    AttendanceFactory(meeting=meeting, person=cat, status=Attendance.Status.APOLOGIES)
    AttendanceFactory(meeting=meeting, person=bob, left_at_item=items[3])
    quorum = _quorum(meeting)
    assert quorum.present == 2
    assert [i.number for i in quorum.inquorate_items] == ["4", "5"]
    assert not quorum.quorate


def test_it_counts_a_substitute_for_the_member_they_stand_in_for(board):
    board.quorum = 1
    board.save()
    meeting = services.create_meeting(board=board, starts_at=timezone.now())
    member = MembershipFactory(board=board, role=Membership.Role.MEMBER).person
    services.set_attendance(meeting=meeting, person=member, status=Attendance.Status.APOLOGIES)
    services.set_attendance(
        meeting=meeting,
        person=PersonFactory(),
        status=Attendance.Status.PRESENT,
        substitute_for=member,
    )
    assert _quorum(meeting).quorate


def test_it_accepts_a_pdf_judged_by_its_content_and_cleans_the_name():
    item = AgendaItemFactory()
    upload = SimpleUploadedFile("../../Data sharing; protocol.pdf", PDF)
    paper = services.attach_paper(item=item, upload=upload)
    assert paper.content_type == "application/pdf"
    assert services.paper_download_name(paper) == "Data_sharing_protocol.pdf"
    assert ".." not in paper.file.name


def test_it_refuses_a_file_that_only_pretends_to_be_a_pdf():
    item = AgendaItemFactory()
    upload = SimpleUploadedFile("budget.pdf", b"MZ\x90\x00 this is a Windows program")
    with pytest.raises(services.PaperRefused) as refused:
        services.attach_paper(item=item, upload=upload)
    assert "not a PDF, Word (DOCX), Excel (XLSX) or PowerPoint (PPTX)" in refused.value.messages[0]
    assert not item.papers.exists()


def test_it_refuses_a_paper_over_the_size_limit(settings):
    settings.MAX_PAPER_BYTES = 10
    item = AgendaItemFactory()
    with pytest.raises(services.PaperRefused):
        services.attach_paper(item=item, upload=SimpleUploadedFile("a.pdf", PDF))


def test_it_detects_office_papers_from_their_content(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    path = tmp_path / "budget.xlsx"
    book.save(path)
    assert services.paper_kind(path.read_bytes()[:8192]) == "xlsx"


def test_it_creates_a_person_with_an_organisation_typed_in_brackets():
    person = services.create_person(name="Mike Dearing (Transformation Hub)")
    assert person.name == "Mike Dearing"
    assert person.organisation.name == "Transformation Hub"
    again = services.create_person(name="Mike Dearing (Transformation Hub)")
    assert again == person


def test_it_keeps_decision_numbers_when_an_approval_decision_exists(board):
    item = AgendaItemFactory()
    DecisionFactory(item=item, number=1)
    decision = services.add_decision(item=item, kind=Decision.Kind.NOTED, text="Noted.")
    assert decision.number == 2


def test_it_keeps_the_agenda_and_attendance_of_approved_minutes_fixed(board, chair):
    earlier = services.create_meeting(
        board=board, starts_at=timezone.now() - dt.timedelta(days=30)
    )
    later = _held(board)
    services.approve_minutes(
        item=later.items.get(title="Notes of the last meeting"), earlier=earlier, by=chair.user
    )
    earlier.refresh_from_db()
    item = earlier.items.first()
    with pytest.raises(services.MinutesFrozen):
        services.delete_item(item=item)
    with pytest.raises(services.MinutesFrozen):
        services.add_item(meeting=earlier, title="Late addition")
    with pytest.raises(services.MinutesFrozen):
        services.set_attendance(meeting=earlier, person=PersonFactory(), status="present")
    with pytest.raises(services.MinutesFrozen):
        services.add_decision(item=item, kind=Decision.Kind.AGREED, text="Afterthought")
    assert earlier.items.count() == 5


# --- approved minutes are frozen: changes are amendments, with a reason ---------------


def _approved_meeting(board):
    """The 18 March minutes, approved: an item with a decision and a paper, attendance and
    a declaration."""
    meeting = MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=60))
    item = AgendaItemFactory(meeting=meeting, title="Shared strategy", order=1, number="1")
    AgendaItemFactory(meeting=meeting, title="Budget", order=2, number="2")
    decision = DecisionFactory(item=item, number=1, text="To adopt the strategy.")
    upload = SimpleUploadedFile("strategy.pdf", PDF, content_type="application/pdf")
    paper = services.attach_paper(item=item, upload=upload, title="Strategy")
    person = PersonFactory(name="Gavin Jones")
    attendance = AttendanceFactory(meeting=meeting, person=person)
    declaration = services.declare_interest(
        meeting=meeting, person=person, item=item, nature="Trustee of a bidder"
    )
    meeting.status = Meeting.Status.MINUTES_APPROVED
    meeting.approved_on = dt.date(2014, 4, 29)
    meeting.save()
    return meeting, item, decision, paper, attendance, declaration


def test_it_refuses_every_change_to_approved_minutes_without_a_reason(board, chair):
    meeting, item, decision, paper, attendance, declaration = _approved_meeting(board)
    upload = SimpleUploadedFile("late.pdf", PDF, content_type="application/pdf")
    other = PersonFactory()
    changes = [
        lambda: services.attach_paper(item=item, upload=upload, title="Late paper"),
        lambda: services.remove_paper(paper=paper),
        lambda: services.add_item(meeting=meeting, title="Late addition"),
        lambda: services.update_item(item=item, title="Renamed", confidential=True, presenters=[]),
        lambda: services.delete_item(item=item),
        lambda: services.set_sub_item(item=meeting.items.get(order=2), sub_item=True),
        lambda: services.renumber(meeting=meeting, order=list(reversed(_ids(meeting)))),
        lambda: services.set_attendance(meeting=meeting, person=other, status="present"),
        lambda: services.set_attendance(
            meeting=meeting, person=attendance.person, status="apologies"
        ),
        lambda: services.set_presence_window(
            attendance=attendance, joined_at_item=item, left_at_item=None
        ),
        lambda: services.remove_attendance(attendance=attendance),
        lambda: services.add_decision(item=item, kind=Decision.Kind.AGREED, text="Afterthought"),
        lambda: services.delete_decision(decision=decision),
        lambda: services.declare_interest(meeting=meeting, person=other, nature="Employee"),
        lambda: services.withdraw_declaration(declaration=declaration),
        lambda: services.save_minutes(item=item, text="Rewritten", version=item.version),
    ]
    for change in changes:
        with pytest.raises(services.MinutesFrozen, match="give a reason for the change"):
            change()
    item.refresh_from_db()
    assert (item.title, item.confidential, item.minutes) == (
        "Shared strategy",
        False,
        "The Board received a report.",
    )
    assert [p.title for p in item.papers.all()] == ["Strategy"]
    assert list(meeting.items.values_list("number", "title")) == [
        ("1", "Shared strategy"),
        ("2", "Budget"),
    ]
    assert list(meeting.attendances.values_list("status", "joined_at_item")) == [("present", None)]
    assert list(item.decisions.values_list("text", flat=True)) == ["To adopt the strategy."]
    assert meeting.declarations.count() == 1
    assert not Amendment.objects.filter(meeting=meeting).exists()


def _ids(meeting):
    return list(meeting.items.order_by("order").values_list("pk", flat=True))


def test_it_keeps_each_change_to_approved_minutes_as_an_amendment(board, chair):
    meeting, item, decision, paper, attendance, declaration = _approved_meeting(board)
    by = chair.user
    upload = SimpleUploadedFile("late.pdf", PDF, content_type="application/pdf")
    late = services.attach_paper(
        item=item, upload=upload, title="Late paper", by=by, reason="Tabled at the meeting"
    )
    services.remove_paper(paper=paper, by=by, reason="Wrong version attached")
    services.set_attendance(
        meeting=meeting,
        person=attendance.person,
        status="apologies",
        by=by,
        reason="Sent apologies on the day",
    )
    services.add_decision(
        item=item, kind=Decision.Kind.NOTED, text="Noted the risks.", by=by, reason="Omitted"
    )
    rows = list(
        Amendment.objects.filter(meeting=meeting)
        .order_by("pk")
        .values_list("field", "before", "after", "reason", "by")
    )
    assert rows == [
        ("papers", "", "Paper attached: Late paper", "Tabled at the meeting", by.pk),
        ("papers", "Paper: Strategy", "Paper removed", "Wrong version attached", by.pk),
        (
            "attendance",
            "Gavin Jones: Present",
            "Gavin Jones: Apologies",
            "Sent apologies on the day",
            by.pk,
        ),
        ("decision", "", "(2) Noted: Noted the risks.", "Omitted", by.pk),
    ]
    assert [p.title for p in item.papers.all()] == ["Late paper"]
    assert late.pk
    attendance.refresh_from_db()
    assert attendance.status == "apologies"


# --- who approves minutes, where, and which ---------------------------------------------


def _vice_chair(board):
    person = PersonFactory(name="Vic Vice-Chair")
    MembershipFactory(person=person, board=board, role=Membership.Role.VICE_CHAIR)
    return person


def _notes_item(meeting):
    return meeting.items.get(title="Notes of the last meeting")


@pytest.fixture
def january(board):
    return MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=50))


def test_it_lets_the_vice_chair_approve_minutes(board, january):
    march = _held(board)
    services.approve_minutes(item=_notes_item(march), earlier=january, by=_vice_chair(board).user)
    january.refresh_from_db()
    assert january.is_frozen


def test_it_refuses_the_secretary_unless_the_board_lets_the_secretary_approve(
    board, january, secretary
):
    march = _held(board)
    with pytest.raises(services.MinutesApprovalRefused, match="chair or vice-chair"):
        services.approve_minutes(item=_notes_item(march), earlier=january, by=secretary.user)
    january.refresh_from_db()
    assert not january.is_frozen
    board.secretary_approves_minutes = True
    board.save()
    secretary.user.__dict__.pop("_minutebook_memberships", None)
    services.approve_minutes(item=_notes_item(march), earlier=january, by=secretary.user)
    january.refresh_from_db()
    assert january.is_frozen


def test_it_refuses_members_to_approve_minutes(board, january, member):
    march = _held(board)
    with pytest.raises(services.MinutesApprovalRefused):
        services.approve_minutes(item=_notes_item(march), earlier=january, by=member.user)


def test_it_refuses_approval_at_a_draft_meeting_in_the_future(board, january, chair):
    future = services.create_meeting(board=board, starts_at=timezone.now() + dt.timedelta(days=7))
    with pytest.raises(services.MinutesApprovalRefused, match="has been held"):
        services.approve_minutes(item=_notes_item(future), earlier=january, by=chair.user)
    # Marked held but still in the future: not yet held either.
    services.change_status(meeting=future, status=Meeting.Status.HELD)
    with pytest.raises(services.MinutesApprovalRefused, match="has been held"):
        services.approve_minutes(item=_notes_item(future), earlier=january, by=chair.user)
    january.refresh_from_db()
    assert not january.is_frozen
    assert not Decision.objects.filter(approves=january).exists()


def test_it_refuses_to_approve_another_boards_minutes(board, other_board, chair):
    march = _held(board)
    theirs = MeetingFactory(board=other_board, starts_at=timezone.now() - dt.timedelta(days=50))
    with pytest.raises(services.MinutesApprovalRefused, match="same board"):
        services.approve_minutes(item=_notes_item(march), earlier=theirs, by=chair.user)
    theirs.refresh_from_db()
    assert not theirs.is_frozen


def test_it_refuses_to_approve_a_meeting_held_after_this_one(board, chair):
    march = _held(board)
    later = MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(minutes=1))
    later.starts_at = march.starts_at + dt.timedelta(seconds=1)
    later.save()
    with pytest.raises(services.MinutesApprovalRefused, match="earlier meeting"):
        services.approve_minutes(item=_notes_item(march), earlier=later, by=chair.user)


def test_it_keeps_corrections_in_their_own_field_not_in_the_decision(board, january, chair):
    march = _held(board)
    decision = services.approve_minutes(
        item=_notes_item(march),
        earlier=january,
        corrections="Item 7 (exempt): the redundancy figure was 14",
        by=chair.user,
    )
    january.refresh_from_db()
    assert january.corrections == "Item 7 (exempt): the redundancy figure was 14"
    assert "redundancy" not in decision.text
    assert decision.text.endswith(
        "agreed as an accurate record, subject to the corrections recorded."
    )
