import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from boards.models import Membership
from boards.tests.factories import BoardFactory, MembershipFactory, PersonFactory
from meetings import services
from meetings.models import AgendaItem, Attendance, Decision, Declaration, Meeting
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meeting(board):
    return services.create_meeting(board=board, starts_at=timezone.now())


def _edit(meeting):
    return reverse("meetings:edit", args=[meeting.pk])


def test_it_lets_a_secretary_create_a_meeting_with_the_standard_items(
    client_for, secretary, board
):
    response = client_for(secretary).post(
        reverse("meetings:create", args=[board.slug]),
        {
            "date": "2014-03-18",
            "time": "14:00",
            "venue": "Civic Offices",
            "kind": "ordinary",
            "standard_items": "on",
        },
    )
    meeting = Meeting.objects.get(board=board)
    assert response.url == _edit(meeting)
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2014-03-18 14:00"
    assert meeting.items.count() == 5


def test_it_shows_the_form_again_with_errors_when_the_date_is_missing(
    client_for, secretary, board
):
    response = client_for(secretary).post(
        reverse("meetings:create", args=[board.slug]), {"venue": "Civic Offices"}
    )
    assert response.status_code == 200
    assert b"Civic Offices" in response.content
    assert b"This field is required" in response.content


def test_it_forbids_members_to_edit_and_hides_the_meeting_from_outsiders(
    client, client_for, member, outsider, meeting
):
    assert client_for(member).get(_edit(meeting)).status_code == 403
    assert client_for(member).get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    item = meeting.items.first()
    response = client_for(member).post(
        reverse("meetings:item_minutes", args=[item.pk]), {"minutes": "x", "version": 1}
    )
    assert response.status_code == 403
    client.logout()
    assert client_for(outsider).get(_edit(meeting)).status_code == 404
    detail = reverse("meetings:detail", args=[meeting.pk])
    assert client_for(outsider).get(detail).status_code == 404


def test_it_forbids_members_to_create_meetings(client_for, member, board):
    response = client_for(member).get(reverse("meetings:create", args=[board.slug]))
    assert response.status_code == 403


def test_it_autosaves_minutes_and_says_when(client_for, secretary, meeting):
    item = meeting.items.first()
    response = client_for(secretary).post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {"minutes": "Cllr David Renard welcomed everyone.", "version": 1},
        **HTMX,
    )
    assert response.status_code == 200
    assert b"Saved at" in response.content
    assert b'value="2"' in response.content  # the new version, swapped into the form
    item.refresh_from_db()
    assert item.minutes == "Cllr David Renard welcomed everyone."


def test_it_answers_a_stale_save_with_both_versions(client_for, secretary, meeting):
    item = meeting.items.first()
    services.save_minutes(item=item, text="Saved by the other secretary.", version=1)
    response = client_for(secretary).post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {"minutes": "Typed here at the same time.", "version": 1},
        **HTMX,
    )
    assert response.status_code == 409
    assert b"Saved by the other secretary." in response.content
    assert b"Typed here at the same time." in response.content
    item.refresh_from_db()
    assert item.minutes == "Saved by the other secretary."


def test_it_refuses_to_change_approved_minutes_without_a_reason(client_for, secretary, meeting):
    item = meeting.items.first()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.MINUTES_APPROVED, approved_on=dt.date.today()
    )
    url = reverse("meetings:item_minutes", args=[item.pk])
    response = client_for(secretary).post(url, {"minutes": "Changed", "version": 1}, **HTMX)
    assert response.status_code == 422
    assert b"give a reason" in response.content
    response = client_for(secretary).post(
        url, {"minutes": "Changed", "version": 1, "reason": "Typo"}, **HTMX
    )
    assert response.status_code == 200
    page = client_for(secretary).get(_edit(meeting))
    assert b"Amendments after approval" in page.content
    assert b"Typo" in page.content


def test_it_tells_an_expired_session_apart_from_a_login_page(client, meeting):
    item = meeting.items.first()
    response = client.post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {"minutes": "x", "version": 1},
        **HTMX,
    )
    assert response.status_code == 401


def test_it_refuses_a_paper_that_is_not_a_pdf_with_a_clear_message(client_for, secretary, meeting):
    item = meeting.items.first()
    response = client_for(secretary).post(
        reverse("meetings:paper_upload", args=[item.pk]),
        {"file": SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>")},
        **HTMX,
    )
    assert response.status_code == 422
    assert "is not a PDF, Word (DOCX)" in response.content.decode()
    # The form comes back open, to choose another file.
    assert '<details class="add-paper" open>' in response.content.decode()
    assert 'type="file"' in response.content.decode()
    assert not item.papers.exists()


def test_it_serves_papers_only_to_those_allowed(
    client, client_for, secretary, member, observer, outsider, meeting
):
    item = meeting.items.first()
    paper = services.attach_paper(item=item, upload=SimpleUploadedFile('Budget "final".pdf', PDF))
    url = reverse("meetings:paper_download", args=[paper.pk])
    response = client_for(member).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Budget_final.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF

    AgendaItem.objects.filter(pk=item.pk).update(confidential=True)
    client.logout()
    assert client_for(observer).get(url).status_code == 403
    client.logout()
    assert client_for(outsider).get(url).status_code == 404
    client.logout()
    assert client_for(member).get(url).status_code == 200


def test_it_marks_attendance_with_one_click_and_shows_the_quorum(
    client_for, secretary, member, meeting
):
    response = client_for(secretary).post(
        reverse("meetings:attendance_mark", args=[meeting.pk]),
        {"person": member.pk, "status": "present"},
        **HTMX,
    )
    assert response.status_code == 200
    assert Attendance.objects.get(meeting=meeting, person=member).status == "present"
    assert b"quorum is 3" in response.content


def test_it_renumbers_the_agenda_after_a_drag(client_for, secretary, meeting):
    items = list(meeting.items.all())
    order = [items[2].pk, items[0].pk, items[1].pk, items[3].pk, items[4].pk]
    response = client_for(secretary).post(
        reverse("meetings:reorder", args=[meeting.pk]),
        {"order": ",".join(map(str, order))},
        **HTMX,
    )
    assert response.status_code == 200
    assert f'id="item-number-{items[2].pk}" hx-swap-oob="true">1<'.encode() in response.content
    assert list(meeting.items.values_list("title", flat=True))[:2] == [
        "Matters arising",
        "Welcome and apologies",
    ]


def test_it_numbers_decisions_added_from_the_screen(client_for, secretary, meeting):
    item = meeting.items.first()
    url = reverse("meetings:decision_add", args=[item.pk])
    client_for(secretary).post(url, {"kind": "agreed", "text": "First"}, **HTMX)
    response = client_for(secretary).post(url, {"kind": "noted", "text": "Second"}, **HTMX)
    assert b"(2)" in response.content
    # The form comes back open and empty, for the next decision.
    assert f'id="decision-text-{item.pk}" name="text"'.encode() in response.content
    response = client_for(secretary).post(url, {"kind": "noted", "text": ""}, **HTMX)
    assert response.status_code == 422
    assert b"Type what the Board decided" in response.content
    response = client_for(secretary).post(url, {"kind": "bogus", "text": "Kept"}, **HTMX)
    assert b">Kept</textarea>" in response.content


def test_it_approves_the_previous_minutes_from_the_screen(client_for, chair, board, meeting):
    # The chair (APPROVE_MINUTES) records it, at a meeting that has been held.
    services.change_status(meeting=meeting, status=Meeting.Status.HELD)
    earlier = MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=40))
    item = meeting.items.get(title="Notes of the last meeting")
    page = client_for(chair).get(_edit(meeting))
    assert b"Agreed as an accurate record" in page.content
    response = client_for(chair).post(
        reverse("meetings:approve_minutes", args=[item.pk]),
        {"earlier": earlier.pk, "corrections": ""},
        **HTMX,
    )
    assert response.status_code == 200
    assert b"agreed as an accurate record" in response.content
    earlier.refresh_from_db()
    assert earlier.is_frozen


def test_it_searches_and_creates_people_for_the_type_ahead(client_for, secretary, meeting):
    client = client_for(secretary)
    response = client.post(
        reverse("meetings:person_create", args=[meeting.pk]), {"name": "Mike Dearing (Hub)"}
    )
    assert response.json()["text"] == "Mike Dearing (Hub)"
    found = client.get(reverse("meetings:people_search", args=[meeting.pk]), {"q": "dearing"})
    assert [r["text"] for r in found.json()["results"]] == ["Mike Dearing (Hub)"]


def _meeting_with_items(board, count):
    meeting = MeetingFactory(board=board)
    for n in range(count):
        item = AgendaItemFactory(meeting=meeting, order=n + 1, number=str(n + 1))
        services.add_decision(item=item, kind="agreed", text=f"Decision {n}")
        services.attach_paper(item=item, upload=SimpleUploadedFile(f"p{n}.pdf", PDF))
    people = []
    for _ in range(4):
        person = MembershipFactory(board=board, role=Membership.Role.MEMBER).person
        services.set_attendance(meeting=meeting, person=person, status="present")
        people.append(person)
    # every decision with a mover, seconder and named votes: printed without a query each
    for decision in Decision.objects.filter(item__meeting=meeting):
        services.record_vote(
            decision=decision,
            mover=people[0],
            seconder=people[1],
            named=dict.fromkeys(people, "for"),
        )
    return meeting


@pytest.mark.parametrize("size", [5, 40])
def test_it_loads_the_meeting_screen_in_the_same_queries_for_5_or_40_items(
    client_for, secretary, board, size, django_assert_max_num_queries
):
    meeting = _meeting_with_items(board, size)
    client = client_for(secretary)
    # 23: the named votes (one query), the later meetings a matter can be brought back to,
    # and the record's version for the navigation count (actions.record_cache)
    with django_assert_max_num_queries(23):
        response = client.get(_edit(meeting))
    assert response.status_code == 200
    assert response.content.count(b'class="agenda-item card') == size


def test_it_runs_the_same_number_of_queries_however_long_the_agenda(client_for, secretary, board):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(secretary)
    counts = []
    for size in (5, 40):
        meeting = _meeting_with_items(board, size)
        client.get(_edit(meeting))  # warm the per-request caches alike
        with CaptureQueriesContext(connection) as queries:
            client.get(_edit(meeting))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_it_leaves_the_forms_that_grow_with_the_agenda_until_they_are_opened(
    client_for, secretary, member, board
):
    """Each attendee's join/leave lists name every item, each vote form every voter: the
    screen carries neither, and each loads when its <details> is opened."""
    meeting = _meeting_with_items(board, 40)
    client = client_for(secretary)
    screen = client.get(_edit(meeting)).content.decode()
    assert 'name="joined_at_item"' not in screen and 'name="mover"' not in screen
    assert 'name="bring_back_meeting"' not in screen
    # Nor each item's title form and decision form: 80 items would carry 80 of each.
    assert 'name="presenters"' not in screen and 'name="kind"' not in screen
    assert screen.count("Add a decision") == 40
    # Nor each item's paper upload form, opened as "Attach a paper".
    assert 'type="file"' not in screen and screen.count("Attach a paper") == 40
    attendance = meeting.attendances.filter(status="present").first()
    decision = Decision.objects.filter(item__meeting=meeting).first()
    presence = client.get(reverse("meetings:presence_form", args=[attendance.pk]), **HTMX)
    assert presence.content.decode().count("Joined at item") == 40
    vote = client.get(reverse("meetings:vote_form", args=[decision.pk]), **HTMX).content.decode()
    assert vote.count('name="vote_') == 4
    assert f'<option value="{decision.mover_id}" selected>' in vote
    bring_back = client.get(reverse("meetings:bring_back_fields", args=[decision.item_id]))
    assert 'name="bring_back_meeting"' in bring_back.content.decode()
    item = decision.item
    item.presenters.add(decision.mover)
    title_form = client.get(reverse("meetings:item_edit_form", args=[item.pk]), **HTMX)
    assert f'value="{item.title}"' in title_form.content.decode()
    assert f'<option value="{decision.mover_id}" selected>' in title_form.content.decode()
    decision_form = client.get(reverse("meetings:decision_form", args=[item.pk]), **HTMX)
    assert decision_form.content.decode().count("<option value=") == len(Decision.Kind)
    paper_form = client.get(reverse("meetings:paper_form", args=[item.pk]), **HTMX).content
    assert b'type="file"' in paper_form and f"“{item.title}”".encode() in paper_form
    # Members may read the screen's record, not open its forms.
    for url in (
        reverse("meetings:presence_form", args=[attendance.pk]),
        reverse("meetings:vote_form", args=[decision.pk]),
        reverse("meetings:bring_back_fields", args=[decision.item_id]),
        reverse("meetings:item_edit_form", args=[item.pk]),
        reverse("meetings:decision_form", args=[item.pk]),
        reverse("meetings:paper_form", args=[item.pk]),
    ):
        assert client_for(member).get(url).status_code == 403


def test_it_reads_like_the_sample_minutes(client_for, member, observer, board, meeting):
    from boards.tests.factories import PersonFactory

    gavin = PersonFactory(name="Gavin Jones")
    liz = PersonFactory(name="Liz Hickey")
    services.set_attendance(meeting=meeting, person=gavin, status="present")
    services.set_attendance(meeting=meeting, person=liz, status="apologies")
    item = services.add_item(meeting=meeting, title="Data sharing protocol")
    services.add_decision(item=item, kind="agreed", text="To fund £25k.")
    secret = services.add_item(meeting=meeting, title="Staffing", confidential=True)
    url = reverse("meetings:detail", args=[meeting.pk])
    page = client_for(member).get(url).content.decode()
    assert "<strong>Present:</strong> Gavin Jones" in page
    assert "<strong>Apologies:</strong> Liz Hickey" in page
    assert "ACTION" in page
    assert f"{item.number}." in page and "(1)</span> To fund £25k." in page
    assert "Staffing" in page
    assert "Open the secretary" not in page
    client_for(observer)
    assert secret.title not in client_for(observer).get(url).content.decode()


def test_it_records_who_joined_late_and_says_when_the_meeting_was_inquorate(
    client_for, secretary, board, meeting
):
    board.quorum = 1
    board.save()
    voter = MembershipFactory(board=board, role=Membership.Role.MEMBER).person
    attendance = services.set_attendance(meeting=meeting, person=voter, status="present")
    third = meeting.items.get(title="Matters arising")
    response = client_for(secretary).post(
        reverse("meetings:attendance_presence", args=[attendance.pk]),
        {"joined_at_item": third.pk, "left_at_item": ""},
        **HTMX,
    )
    content = response.content.decode()
    assert "Joined at item 3" in content
    assert "Not quorate at items 1, 2." in content


def test_it_reads_the_minutes_in_the_same_queries_for_5_or_40_items(client_for, member, board):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(member)
    counts = []
    for size in (5, 40):
        meeting = _meeting_with_items(board, size)
        url = reverse("meetings:detail", args=[meeting.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_it_shows_a_substitute_beside_the_member_they_stand_in_for(
    client_for, secretary, member, meeting
):
    from boards.tests.factories import PersonFactory

    deputy = PersonFactory(name="Dee Deputy")
    response = client_for(secretary).post(
        reverse("meetings:attendance_add", args=[meeting.pk]),
        {"person": deputy.pk, "status": "present", "substitute_for": member.pk},
        **HTMX,
    )
    content = response.content.decode()
    assert "Dee Deputy attended for them." in content
    assert "Present for Mo Member" in content


def _approve_directly(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.MINUTES_APPROVED, approved_on=dt.date.today()
    )


def test_it_refuses_papers_uploaded_to_or_deleted_from_approved_minutes(
    client_for, secretary, meeting
):
    item = meeting.items.first()
    kept = services.attach_paper(
        item=item, upload=SimpleUploadedFile("a.pdf", PDF), title="Strategy"
    )
    _approve_directly(meeting)
    client = client_for(secretary)
    response = client.post(
        reverse("meetings:paper_upload", args=[item.pk]),
        {"file": SimpleUploadedFile("late.pdf", PDF), "title": "Late paper"},
        **HTMX,
    )
    assert response.status_code == 422
    assert b"give a reason for the change" in response.content
    response = client.post(reverse("meetings:paper_delete", args=[kept.pk]), **HTMX)
    assert response.status_code == 422
    assert b"give a reason for the change" in response.content
    assert [p.title for p in item.papers.all()] == ["Strategy"]
    response = client.post(
        reverse("meetings:paper_delete", args=[kept.pk]), {"reason": "Wrong file"}, **HTMX
    )
    assert response.status_code == 200
    assert not item.papers.exists()
    assert item.amendments.get().reason == "Wrong file"


def test_it_lets_the_vice_chair_approve_and_refuses_the_secretary(
    client_for, secretary, board, meeting
):
    vice = PersonFactory(name="Vic Vice-Chair")
    MembershipFactory(person=vice, board=board, role=Membership.Role.VICE_CHAIR)
    services.change_status(meeting=meeting, status=Meeting.Status.HELD)
    earlier = MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=40))
    url = reverse("meetings:approve_minutes", args=[meeting.items.get(order=2).pk])
    response = client_for(secretary).post(url, {"earlier": earlier.pk}, **HTMX)
    assert response.status_code == 403
    earlier.refresh_from_db()
    assert not earlier.is_frozen
    response = client_for(vice).post(url, {"earlier": earlier.pk}, **HTMX)
    assert response.status_code == 200
    earlier.refresh_from_db()
    assert earlier.is_frozen


def test_it_gives_the_vice_chair_a_page_to_approve_earlier_minutes(client_for, board, meeting):
    vice = PersonFactory(name="Vic Vice-Chair")
    MembershipFactory(person=vice, board=board, role=Membership.Role.VICE_CHAIR)
    services.change_status(meeting=meeting, status=Meeting.Status.HELD)
    earlier = MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=40))
    client = client_for(vice)
    minutes_page = client.get(meeting.get_absolute_url()).content.decode()
    url = reverse("meetings:approval", args=[meeting.pk])
    assert url in minutes_page  # the vice-chair cannot open the secretary's screen
    response = client.post(url, {"earlier": earlier.pk, "corrections": ""})
    assert response.status_code == 302
    earlier.refresh_from_db()
    assert earlier.is_frozen
    assert "approved as an accurate record" in client.get(response.url).content.decode()
    assert url not in client.get(meeting.get_absolute_url()).content.decode()  # none left


def test_it_shows_why_minutes_cannot_be_approved_at_a_meeting_not_yet_held(
    client_for, chair, board
):
    future = services.create_meeting(board=board, starts_at=timezone.now() + dt.timedelta(days=7))
    earlier = MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=40))
    response = client_for(chair).post(
        reverse("meetings:approve_minutes", args=[future.items.get(order=2).pk]),
        {"earlier": earlier.pk},
        **HTMX,
    )
    assert response.status_code == 422
    assert b"a meeting that has been held" in response.content
    earlier.refresh_from_db()
    assert not earlier.is_frozen


def test_the_admin_shows_approved_minutes_read_only(client, board, meeting):
    from boards.tests.factories import UserFactory

    admin_user = UserFactory(username="staff", is_staff=True, is_superuser=True)
    item = meeting.items.first()
    _approve_directly(meeting)
    client.force_login(admin_user)
    for url in (
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:meetings_agendaitem_change", args=[item.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert b'name="_save"' not in page.content
    response = client.post(
        reverse("admin:meetings_agendaitem_change", args=[item.pk]),
        {"title": "Rewritten by the admin", "meeting": meeting.pk},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:meetings_agendaitem_delete", args=[item.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title == "Welcome and apologies"


def test_an_observers_minutes_page_hides_declarations_on_confidential_items_and_corrections(
    client_for, board, observer, member, chair
):
    """Issue 17: the declaration says what the private item was about, and the corrections
    may quote it; the observer learns only that there were corrections."""
    older = MeetingFactory(
        board=board, starts_at=timezone.now() - dt.timedelta(days=60), status="held"
    )
    public = AgendaItemFactory(meeting=older, number="1", title="Youth strategy")
    private = AgendaItemFactory(
        meeting=older, number="2", title="Depot sale", confidential=True, minutes="Offers"
    )
    Declaration.objects.create(
        meeting=older, person=member, item=public, nature="Governor of a youth club"
    )
    Declaration.objects.create(
        meeting=older, person=chair, item=private, nature="Director of the preferred bidder"
    )
    approving = MeetingFactory(
        board=board, starts_at=timezone.now() - dt.timedelta(days=30), status="held"
    )
    services.approve_minutes(
        item=AgendaItemFactory(meeting=approving, title="Minutes of the last meeting"),
        earlier=older,
        by=chair.user,
        corrections="Item 2: the depot offer was £1.2m, not £1.1m",
    )
    url = reverse("meetings:detail", args=[older.pk])

    seen = client_for(observer).get(url).content.decode()
    assert "Governor of a youth club" in seen
    assert "Director of the preferred bidder" not in seen
    assert "with corrections" in seen and "depot offer" not in seen
    members = client_for(member).get(url).content.decode()
    assert "Director of the preferred bidder" in members and "depot offer" in members


def test_the_people_search_offers_only_people_of_the_searchers_partnership(
    client_for, board, secretary, meeting
):
    """Issue 17: a secretary could find anyone's e-mail on any board; now only people of
    their own partnership (its boards and sub-boards) are offered."""
    unrelated = BoardFactory(name="Far Away Trust", slug="far-away")
    MembershipFactory(
        board=unrelated, person=PersonFactory(name="Pat Private", email="pat@faraway.example")
    )
    task_group = BoardFactory(name="Youth task group", slug="youth-task-group", parent=board)
    MembershipFactory(
        board=task_group, person=PersonFactory(name="Tam Taskgroup", email="tam@ours.example")
    )
    client = client_for(secretary)
    url = reverse("meetings:people_search", args=[meeting.pk])

    def found(text):
        return [r["text"] for r in client.get(url, {"q": text}).json()["results"]]

    assert found("Pat Private") == []
    assert found("pat@faraway") == []
    assert [name.split(" (")[0] for name in found("Taskgroup")] == ["Tam Taskgroup"]
    assert [name.split(" (")[0] for name in found("tam@ours")] == ["Tam Taskgroup"]


# --- Issue 20: finished edges of the minutes page and the meeting screen -----------------


def test_it_offers_money_only_on_a_decision_that_can_commit_it(client_for, secretary, meeting):
    item = meeting.items.first()
    agreed = services.add_decision(item=item, kind="agreed", text="To fund a data officer.")
    noted = services.add_decision(item=item, kind="noted", text="The update was noted.")
    page = client_for(secretary).get(_edit(meeting)).content.decode()
    assert reverse("funding:allocate", args=[agreed.pk]) in page
    assert reverse("funding:allocate", args=[noted.pk]) not in page


def test_it_links_the_public_copy_and_the_agenda_pack_from_the_meeting(
    client_for, member, observer, secretary, meeting
):
    pdf = reverse("meetings:minutes_pdf", args=[meeting.pk])
    pack = reverse("meetings:agenda_pack", args=[meeting.pk])
    page = client_for(member).get(meeting.get_absolute_url()).content.decode()
    assert f'href="{pdf}?public=1"' in page and f'href="{pack}"' in page
    screen = client_for(secretary).get(_edit(meeting)).content.decode()
    assert f'href="{pdf}?public=1"' in screen and f'href="{pack}"' in screen
    # An observer's minutes PDF is the public copy already: one link, not two the same.
    page = client_for(observer).get(meeting.get_absolute_url()).content.decode()
    assert f'href="{pdf}"' in page and "?public=1" not in page


def test_it_keeps_bullets_and_line_breaks_in_a_decision(client_for, member, secretary, meeting):
    item = meeting.items.first()
    services.add_decision(
        item=item, kind="agreed", text="To ask partners to:\n- share data\n- name a lead"
    )
    services.add_decision(item=item, kind="agreed", text="To meet in May.")
    minutes = client_for(member).get(meeting.get_absolute_url()).content.decode()
    screen = client_for(secretary).get(_edit(meeting)).content.decode()
    for page in (minutes, screen):
        assert "<p>To ask partners to:</p><ul><li>share data</li><li>name a lead</li></ul>" in page
    # One line stays beside its number, as in the printed minutes.
    assert "(2)</span> To meet in May." in minutes
    assert '<span class="flex-grow-1">To meet in May.</span>' in screen


def test_it_puts_each_action_under_its_decision_for_a_phone(client_for, member, meeting):
    item = meeting.items.first()
    first = services.add_decision(item=item, kind="agreed", text="To share data.")
    services.add_decision(item=item, kind="agreed", text="To meet in May.")
    item.actions.create(decision=first, whole_board=True, text="Share the data")
    page = client_for(member).get(meeting.get_absolute_url()).content.decode()
    under_first = page.index("To share data.")
    assert page.index("<strong>Action:</strong> ALL", under_first) < page.index("To meet in May.")


def _screen(client, meeting) -> str:
    """The screen's HTML less what differs on every request (the CSP nonce, the CSRF token)."""
    import re

    html = client.get(_edit(meeting)).content.decode()
    html = re.sub(r'nonce="[^"]*"', "", html)
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", html)  # a masked CSRF token


def test_the_kept_item_cards_are_the_cards_drawn_afresh_after_every_kind_of_change(
    client_for, secretary, chair, board, monkeypatch
):
    from django.core.cache import cache

    from meetings import item_cards

    def inline():
        """The screen with every card drawn in place, as the template does with none kept."""
        with monkeypatch.context() as patch:
            patch.setattr(item_cards, "draw", lambda items, context: None)
            return _screen(client, meeting)

    meeting = _meeting_with_items(board, 3)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(days=60))
    meeting.refresh_from_db()
    client = client_for(secretary)
    first, second, third = meeting.items.order_by("order")
    person = PersonFactory(name="Priya Presenter")
    later = MeetingFactory(board=board, starts_at=meeting.starts_at + dt.timedelta(days=30))

    def approve():
        held = services.change_status(meeting=later, status=Meeting.Status.HELD)
        services.approve_minutes(
            item=AgendaItemFactory(meeting=held), earlier=meeting, by=chair.user
        )

    changes = [
        lambda: services.save_minutes(item=first, text="Noted the hub's report.", version=1),
        lambda: services.update_item(
            item=second, title="Hub rota", confidential=True, presenters=[person]
        ),
        lambda: services.add_decision(
            item=third, kind="deferred", text="To come back.", bring_back_meeting=later
        ),
        lambda: services.attach_paper(
            item=first, upload=SimpleUploadedFile("rota.pdf", PDF), title="Rota"
        ),
        lambda: services.delete_decision(decision=second.decisions.first()),
        lambda: (
            PersonFactory._meta.model.objects.filter(pk=person.pk).update(name="P. Presenter")
            or person.save()
        ),
        lambda: services.change_status(meeting=meeting, status=Meeting.Status.HELD),
        lambda: services.record_vote(
            decision=third.decisions.first(), votes_for=5, votes_against=1, votes_abstained=0
        ),
        approve,  # at the next meeting: frozen, the screen offers amendments instead
        lambda: services.save_minutes(
            item=third,
            text="Amended after approval.",
            version=AgendaItem.objects.get(pk=third.pk).version,
            reason="A typo",
            by=chair.user,
        ),
    ]
    _screen(client, meeting)  # every card kept
    for change in changes:
        change()
        kept = _screen(client, meeting)
        cache.clear()
        assert kept == _screen(client, meeting) == inline()
    assert "Hub rota" in kept and "Priya" not in kept and "P. Presenter" in kept
    assert "Save amendment" in kept and "A typo" in kept and "For 5" in kept
