"""Issue 15, points 3 and 5: a meeting's details, deleting a draft, attendance as the
minutes record it (roles, part-way presence, no contradictions, corrections at approval),
and finding people by initials."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from boards.models import Membership, Person
from boards.tests.factories import MembershipFactory, PersonFactory
from meetings import services
from meetings.models import Amendment, Attendance, Meeting
from meetings.pdf import minutes_document
from meetings.tests.factories import AgendaItemFactory, AttendanceFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
LONDON = timezone.get_default_timezone()


def _at(*args):
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def meeting(board):
    return services.create_meeting(board=board, starts_at=_at(2013, 1, 15, 9, 30))


def _approve(meeting, chair):
    later = services.create_meeting(board=meeting.board, starts_at=_at(2013, 3, 18, 14))
    services.change_status(meeting=later, status=Meeting.Status.HELD)
    item = later.items.get(title=services.NOTES_OF_LAST_MEETING)
    services.approve_minutes(item=item, earlier=meeting, by=chair.user)
    meeting.refresh_from_db()
    return item


# --- point 3: details ---------------------------------------------------------------


def test_it_creates_a_meeting_from_a_date_alone_and_shows_no_time(client_for, secretary, board):
    client = client_for(secretary)
    response = client.post(
        reverse("meetings:create", args=[board.slug]),
        {"date": "2013-01-15", "kind": "away_day", "venue": "DCMS"},
    )
    meeting = Meeting.objects.get(board=board)
    assert response.status_code == 302
    assert meeting.start_time_known is False
    assert timezone.localtime(meeting.starts_at).date() == dt.date(2013, 1, 15)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Tuesday 15 January 2013 · DCMS" in page
    assert "12:00" not in page


def test_it_keeps_an_end_time_and_refuses_one_before_the_start(client_for, secretary, board):
    client = client_for(secretary)
    url = reverse("meetings:create", args=[board.slug])
    refused = client.post(url, {"date": "2014-03-18", "time": "14:00", "end_time": "13:00",
                                "kind": "ordinary", "venue": "Civic Offices"})  # fmt: skip
    assert "The meeting must end after it starts." in refused.content.decode()
    assert 'value="Civic Offices"' in refused.content.decode()
    assert not Meeting.objects.exists()
    client.post(url, {"date": "2014-03-18", "time": "14:00", "end_time": "16:30",
                      "kind": "ordinary"})  # fmt: skip
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.ends_at).strftime("%H:%M") == "16:30"
    html = minutes_document(meeting, public=False).html
    assert "2.00pm to 4.30pm" in html


def test_it_edits_a_meetings_details(client_for, secretary, meeting):
    form = client_for(secretary).get(reverse("meetings:details", args=[meeting.pk]))
    assert 'value="2013-01-15"' in form.content.decode()  # what a date input can show
    assert 'value="09:30"' in form.content.decode()
    response = client_for(secretary).post(
        reverse("meetings:details", args=[meeting.pk]),
        {
            "date": "2013-01-16",
            "time": "10:00",
            "end_time": "15:00",
            "venue": "Steam",
            "kind": "away_day",
            "title": "Community Budgets away day",
        },  # fmt: skip
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Community Budgets away day"
    assert meeting.kind == Meeting.Kind.AWAY_DAY
    assert timezone.localtime(meeting.starts_at) == _at(2013, 1, 16, 10)
    assert timezone.localtime(meeting.ends_at) == _at(2013, 1, 16, 15)
    assert not Amendment.objects.exists()


def test_it_forbids_a_member_to_edit_the_details(client_for, member, meeting):
    response = client_for(member).post(
        reverse("meetings:details", args=[meeting.pk]), {"date": "2013-01-16", "kind": "ordinary"}
    )
    assert response.status_code == 403


def test_approved_minutes_details_change_only_as_an_amendment(
    client_for, secretary, chair, meeting
):
    _approve(meeting, chair)
    client = client_for(secretary)
    url = reverse("meetings:details", args=[meeting.pk])
    data = {"date": "2013-01-15", "time": "09:30", "venue": "Civic Offices", "kind": "ordinary",
            "title": "Renamed"}  # fmt: skip
    refused = client.post(url, data)
    assert "give a reason" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == ""
    client.post(url, data | {"reason": "Title as in the signed copy"})
    meeting.refresh_from_db()
    assert meeting.title == "Renamed"
    amendment = Amendment.objects.get(meeting=meeting)
    assert amendment.field == "meeting details"
    assert "Renamed" in amendment.after


def test_it_deletes_a_draft_meeting_after_a_confirmation(client_for, secretary, board, meeting):
    client = client_for(secretary)
    AttendanceFactory(meeting=meeting)
    url = reverse("meetings:delete", args=[meeting.pk])
    confirm = client.get(url)
    assert "This cannot be undone." in confirm.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    response = client.post(url)
    assert response.url == board.get_absolute_url()
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_it_refuses_to_delete_a_meeting_with_minutes_or_past_draft(client_for, secretary, board):
    typed = services.create_meeting(board=board, starts_at=_at(2013, 1, 15, 9))
    item = typed.items.first()
    item.minutes = "Gavin welcomed everyone."
    item.save()
    held = services.create_meeting(board=board, starts_at=_at(2013, 2, 15, 9))
    services.change_status(meeting=held, status=Meeting.Status.HELD)
    client = client_for(secretary)
    for meeting, why in [(typed, "already has minutes"), (held, "Only a draft meeting")]:
        response = client.post(reverse("meetings:delete", args=[meeting.pk]), follow=True)
        assert why in response.content.decode()
        assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_the_pdf_prints_the_board_name_with_or_without_a_title(board, meeting):
    html = minutes_document(meeting, public=False).html
    assert f'<h1 class="board-name">{board.name}</h1>' in html
    meeting.title = "Community Budgets away day"
    meeting.save()
    html = minutes_document(meeting, public=False).html
    assert f'<h1 class="board-name">{board.name}</h1>' in html
    assert '<p class="meeting-title">Community Budgets away day</p>' in html


# --- point 5: attendance ------------------------------------------------------------


def test_chair_and_minute_taker_are_marked_and_printed(client_for, secretary, meeting):
    chair = AttendanceFactory(meeting=meeting, person=PersonFactory(name="Gavin Jones"))
    officer = AttendanceFactory(
        meeting=meeting, person=PersonFactory(name="Ruth Hall"), status="in_attendance"
    )
    client = client_for(secretary)
    for attendance, role in [(chair, "chair"), (officer, "minutes")]:
        response = client.post(
            reverse("meetings:attendance_role", args=[attendance.pk]), {"role": role}, **HTMX
        )
        assert response.status_code == 200
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"{chair.name_with_organisation} (Chair)" in page
    assert f"{officer.name_with_organisation} (minutes)" in page
    html = minutes_document(meeting, public=False).html
    assert "Gavin Jones (Chair)" in html
    assert "Ruth Hall (minutes)" in html


def test_only_someone_there_has_a_role(meeting):
    away = AttendanceFactory(meeting=meeting, status=Attendance.Status.APOLOGIES)
    with pytest.raises(ValidationError, match="was not there"):
        services.set_attendance_role(attendance=away, role="chair")


def test_who_joined_or_left_part_way_is_in_the_minutes_and_the_pdf(client_for, member, meeting):
    items = list(meeting.items.order_by("order"))
    late = AttendanceFactory(meeting=meeting, person=PersonFactory(name="Jim Grant"))
    services.set_presence_window(attendance=late, joined_at_item=items[2], left_at_item=items[4])
    page = client_for(member).get(meeting.get_absolute_url()).content.decode()
    assert "Jim Grant joined at item 3; left at item 5." in page
    html = minutes_document(meeting, public=False).html
    assert "Jim Grant joined at item 3; left at item 5." in html


def test_a_member_present_in_person_has_no_substitute(client_for, secretary, board, meeting):
    absent_member = MembershipFactory(board=board, role=Membership.Role.MEMBER).person
    deputy = PersonFactory(name="Deputy Dawg", added_for=board)
    client = client_for(secretary)
    client.post(
        reverse("meetings:attendance_mark", args=[meeting.pk]),
        {"person": absent_member.pk, "status": "present"},
        **HTMX,
    )
    response = client.post(
        reverse("meetings:attendance_add", args=[meeting.pk]),
        {"person": deputy.pk, "status": "present", "substitute_for": absent_member.pk},
        **HTMX,
    )
    assert "is marked present, so nobody attends for them" in response.content.decode()
    assert not Attendance.objects.filter(person=deputy).exists()
    # The other way round: the substitute first, then the member marked present.
    services.set_attendance(meeting=meeting, person=absent_member, status="apologies")
    services.set_attendance(
        meeting=meeting, person=deputy, status="present", substitute_for=absent_member
    )
    with pytest.raises(ValidationError, match="attended for"):
        services.set_attendance(meeting=meeting, person=absent_member, status="present")
    assert Attendance.objects.get(person=absent_member).status == "apologies"


def test_sending_apologies_clears_a_role_and_presence_window(meeting):
    items = list(meeting.items.order_by("order"))
    row = AttendanceFactory(meeting=meeting, role="chair", joined_at_item=items[1])
    services.set_attendance(meeting=meeting, person=row.person, status="apologies")
    row.refresh_from_db()
    assert (row.role, row.joined_at_item) == ("", None)


def test_attendance_corrections_at_approval_are_amendments(client_for, chair, board, meeting):
    wrongly_present = AttendanceFactory(
        meeting=meeting, person=PersonFactory(name="Jan Stubbings")
    )
    later = services.create_meeting(board=board, starts_at=_at(2013, 3, 18, 14))
    services.change_status(meeting=later, status=Meeting.Status.HELD)
    item = later.items.get(title=services.NOTES_OF_LAST_MEETING)
    response = client_for(chair).post(
        reverse("meetings:approve_minutes", args=[item.pk]),
        {
            "earlier": meeting.pk,
            "corrections": "Jan Stubbings sent apologies",
            "correct_person_0": wrongly_present.person.pk,
            "correct_status_0": "apologies",
        },
        **HTMX,
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    wrongly_present.refresh_from_db()
    assert meeting.is_frozen
    assert wrongly_present.status == Attendance.Status.APOLOGIES
    amendment = Amendment.objects.get(meeting=meeting)
    assert amendment.field == "attendance"
    assert amendment.before == "Jan Stubbings: Present"
    assert amendment.after == "Jan Stubbings: Apologies"
    assert "approved at the meeting of 18 March 2013" in amendment.reason


def test_an_attendance_correction_needs_both_person_and_status(client_for, chair, board, meeting):
    later = services.create_meeting(board=board, starts_at=_at(2013, 3, 18, 14))
    services.change_status(meeting=later, status=Meeting.Status.HELD)
    item = later.items.get(title=services.NOTES_OF_LAST_MEETING)
    response = client_for(chair).post(
        reverse("meetings:approve_minutes", args=[item.pk]),
        {"earlier": meeting.pk, "correct_status_0": "apologies"},
        **HTMX,
    )
    assert response.status_code == 422
    assert "choose both the person and their attendance" in response.content.decode()
    meeting.refresh_from_db()
    assert not meeting.is_frozen


# --- point 5: initials --------------------------------------------------------------


def test_initials_find_the_people_present_first(client_for, secretary, board, meeting):
    names = ["Mike Gregory", "Matt Gott", "John Grant", "John Gilbert", "Mary Green"]
    people = {n: PersonFactory(name=n, added_for=board) for n in names}
    for name in ["Mike Gregory", "John Grant", "John Gilbert"]:
        AttendanceFactory(meeting=meeting, person=people[name])
    client = client_for(secretary)
    url = reverse("meetings:people_search", args=[meeting.pk])

    def found(q):
        return [r["text"].split(" (")[0] for r in client.get(url, {"q": q}).json()["results"]]

    mg = found("MG")
    assert mg[0] == "Mike Gregory"  # present, initials match
    assert set(mg[:3]) == {"Mike Gregory", "Matt Gott", "Mary Green"}
    assert found("JGr")[0] == "John Grant"
    assert "John Gilbert" not in found("JGr")
    assert found("mg")[0] == "Mike Gregory"
    assert found("Gilb") == ["John Gilbert"]


def test_initials_never_offer_another_partnerships_people(
    client_for, secretary, meeting, outsider
):
    outsider.name = "Mike Gregson"
    outsider.save()
    response = client_for(secretary).get(
        reverse("meetings:people_search", args=[meeting.pk]), {"q": "MG"}
    )
    assert "Gregson" not in response.content.decode()


def test_an_item_of_the_meeting_is_needed_for_presence(meeting, board):
    other = AgendaItemFactory()
    row = AttendanceFactory(meeting=meeting)
    with pytest.raises(ValidationError):
        services.set_presence_window(attendance=row, joined_at_item=other, left_at_item=None)


def test_another_partnerships_person_is_never_let_into_the_record(
    client_for, secretary, board, meeting, outsider
):
    """Issue 15: being in an attendance makes someone of the partnership, so a person of
    another partnership, asked for by id, would have their name and e-mail handed over."""
    client = client_for(secretary)
    item = meeting.items.first()
    posts = [
        (
            reverse("meetings:attendance_add", args=[meeting.pk]),
            {"person": outsider.pk, "status": "in_attendance"},
        ),
        (
            reverse("meetings:attendance_mark", args=[meeting.pk]),
            {"person": outsider.pk, "status": "present"},
        ),
        (
            reverse("meetings:item_update", args=[item.pk]),
            {"title": item.title, "presenters": [outsider.pk]},
        ),
        (
            reverse("meetings:declaration_add", args=[meeting.pk]),
            {"person": outsider.pk, "nature": "Owns the site"},
        ),
    ]
    for url, data in posts:
        body = client.post(url, data, **HTMX).content.decode()
        assert f"{outsider.display_name} is not one of this partnership&#x27;s people" in body
    assert not meeting.attendances.filter(person=outsider).exists()
    assert not item.presenters.exists() and not meeting.declarations.exists()
    assert not Person.objects.of_partnership(board).filter(pk=outsider.pk).exists()


def test_someone_of_no_partnership_yet_may_be_added_and_becomes_of_this_one(
    secretary, board, meeting
):
    newcomer = PersonFactory(user=None)
    services.set_attendance(meeting=meeting, person=newcomer, status="in_attendance")
    assert Person.objects.of_partnership(board).filter(pk=newcomer.pk).exists()


def test_a_person_is_never_both_present_and_with_apologies(meeting, member):
    from django.db import IntegrityError, transaction

    services.set_attendance(meeting=meeting, person=member, status="present")
    services.set_attendance(meeting=meeting, person=member, status="apologies")
    assert list(meeting.attendances.values_list("status", flat=True)) == ["apologies"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, person=member, status="present")
