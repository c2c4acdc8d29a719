"""A partnership set up from an empty install through Minutebook's own pages: the staff
user starts it, the secretary (invited by e-mail) does the rest."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards import services
from boards.models import Board, Invitation, Membership, Organisation, Person
from boards.people_import import check_rows, read_people
from boards.tests.factories import (
    BoardFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Lanterns-over-Swindon-42"


def _link(message) -> str:
    return re.search(r"https?://\S+/boards/invitation/\S+/", message.body).group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="installer", is_staff=True, is_superuser=True))
    return client


# --- the installation admin starts a partnership -----------------------------------------


def test_it_lets_staff_create_a_top_board_and_invites_its_secretary(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("boards:new"),
            {
                "name": "Kennet Valley Partnership",
                "short_name": "KVP",
                "secretary_name": "Rita Clerk",
                "secretary_email": "rita.clerk@kennet.example",
            },
        )
    assert response.status_code == 302
    board = Board.objects.get(name="Kennet Valley Partnership")
    assert board.slug == "kennet-valley-partnership" and board.short_name == "KVP"
    assert board.secretary.email == "rita.clerk@kennet.example"
    assert board.memberships.get().role == Membership.Role.SECRETARY
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rita.clerk@kennet.example"]
    assert "Kennet Valley Partnership" in mail.outbox[0].subject


def test_it_refuses_a_new_partnership_to_anyone_but_staff(client_for, secretary):
    response = client_for(secretary).get(reverse("boards:new"))
    assert response.status_code == 403


def test_it_keeps_board_slugs_off_the_set_up_addresses(db):
    person = PersonFactory(user=None)
    board = services.create_board(name="New", secretary=person)
    assert board.slug != "new"
    assert Board.objects.get(pk=board.pk).secretary == person


# --- invitations ------------------------------------------------------------------------


def test_an_invited_secretary_chooses_a_password_and_lands_on_their_board(
    staff_client, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("boards:new"),
            {
                "name": "Kennet Valley Partnership",
                "secretary_name": "Rita Clerk",
                "secretary_email": "rita@kennet.example",
            },
        )
    staff_client.logout()
    people_before = Person.objects.count()
    link = _path(_link(mail.outbox[0]))
    assert client.get(link).status_code == 200

    weak = client.post(link, {"new_password1": "rita", "new_password2": "rita"})
    assert weak.status_code == 400
    assert "too short" in weak.content.decode()

    response = client.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    board = Board.objects.get(name="Kennet Valley Partnership")
    assert response.status_code == 302 and response["Location"] == board.get_absolute_url()
    rita = Person.objects.get(email="rita@kennet.example")
    assert rita.user is not None and rita.user.check_password(GOOD_PASSWORD)
    assert Person.objects.count() == people_before  # linked, not duplicated
    assert client.get(board.get_absolute_url()).status_code == 200
    # Single use: the same link again is refused, even signed out.
    client.logout()
    assert client.get(link).status_code == 404
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()  # only a hash is kept


def test_an_expired_invitation_is_refused(
    client, board, secretary, django_capture_on_commit_callbacks
):
    person = PersonFactory(user=None, added_for=board)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_person(person=person, board=board)
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    link = _path(_link(mail.outbox[0]))
    response = client.post(link, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.user is None


def test_a_secretary_resends_or_revokes_a_pending_invitation(
    client_for, board, secretary, django_capture_on_commit_callbacks
):
    person = PersonFactory(user=None, added_for=board, email="pat@kennet.example")
    client = client_for(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("boards:person_invite", args=[board.slug, person.pk]))
    first = _path(_link(mail.outbox[0]))
    page = client.get(reverse("boards:people", args=[board.slug])).content.decode()
    assert "pat@kennet.example" in page and "Resend" in page

    invitation = Invitation.objects.pending().get(person=person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("boards:invitation_resend", args=[board.slug, invitation.pk]))
    second = _path(_link(mail.outbox[1]))
    assert second != first
    client.logout()
    assert client.get(first).status_code == 404  # replaced by the new link
    assert client.get(second).status_code == 200

    client.force_login(secretary.user)
    newest = Invitation.objects.pending().get(person=person)
    client.post(reverse("boards:invitation_revoke", args=[board.slug, newest.pk]))
    client.logout()
    assert client.get(second).status_code == 404


# --- board settings and sub-boards -------------------------------------------------------


def test_a_secretary_changes_the_boards_settings(client_for, board, secretary):
    response = client_for(secretary).post(
        reverse("boards:settings", args=[board.slug]),
        {
            "name": "One Swindon Board",
            "short_name": "OSB",
            "quorum": 5,
            "reminder_days_before": 10,
            "standard_items": "Welcome\nMinutes of the last meeting",
        },
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.short_name, board.quorum, board.reminder_days_before) == ("OSB", 5, 10)
    assert board.standard_item_titles == ["Welcome", "Minutes of the last meeting"]


def test_a_board_cannot_report_to_its_own_sub_board(client_for, board, secretary):
    sub = BoardFactory(parent=board)
    response = client_for(secretary).post(
        reverse("boards:settings", args=[board.slug]),
        {"name": board.name, "quorum": 3, "reminder_days_before": 7, "parent": sub.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    board.refresh_from_db()
    assert board.parent is None


def test_a_secretary_creates_a_sub_board_they_run(client_for, board, secretary):
    response = client_for(secretary).post(
        reverse("boards:sub_board_new", args=[board.slug]),
        {"name": "Delivery Group", "secretary": secretary.pk},
    )
    sub = Board.objects.get(name="Delivery Group")
    assert response.status_code == 302 and sub.parent == board
    assert sub.secretary == secretary
    assert (
        client_for(secretary).get(reverse("boards:settings", args=[sub.slug])).status_code == 200
    )


def _set_up_screens(board, person):
    """Every set-up screen of a board, as (method, url); `person` is one of its people."""
    invitation = services.invite_person(
        person=PersonFactory(user=None, added_for=board), board=board
    )
    membership = board.memberships.first()
    organisation = OrganisationFactory()
    organisation.listed_for.add(board)
    slug = {"slug": board.slug}
    return [
        ("get", reverse("boards:settings", kwargs=slug)),
        ("get", reverse("boards:sub_board_new", kwargs=slug)),
        ("get", reverse("boards:organisations", kwargs=slug)),
        ("get", reverse("boards:organisation_edit", kwargs=slug | {"pk": organisation.pk})),
        ("post", reverse("boards:organisation_merge", kwargs=slug)),
        ("get", reverse("boards:people", kwargs=slug)),
        ("get", reverse("boards:person_new", kwargs=slug)),
        ("get", reverse("boards:person_edit", kwargs=slug | {"pk": person.pk})),
        ("post", reverse("boards:person_invite", kwargs=slug | {"pk": person.pk})),
        ("get", reverse("boards:people_import", kwargs=slug)),
        ("post", reverse("boards:invitation_resend", kwargs=slug | {"pk": invitation.pk})),
        ("post", reverse("boards:invitation_revoke", kwargs=slug | {"pk": invitation.pk})),
        ("get", reverse("boards:members", kwargs=slug)),
        ("get", reverse("boards:membership_new", kwargs=slug)),
        ("get", reverse("boards:membership_edit", kwargs=slug | {"pk": membership.pk})),
        ("get", reverse("funding:fund_new", kwargs=slug)),
    ]


def test_a_member_or_observer_reaches_no_set_up_screen(
    client_for, board, secretary, chair, member, observer
):
    screens = _set_up_screens(board, member)
    for person in (member, observer):
        client = client_for(person)
        for method, url in screens:
            assert getattr(client, method)(url).status_code == 403, (person, url)
    client = client_for(chair)  # the chair, as the secretary, reaches every one
    for method, url in screens:
        assert getattr(client, method)(url).status_code in (200, 302, 400), url


def test_a_secretary_of_one_board_cannot_manage_another_or_see_its_people(
    client_for, board, secretary, other_board, outsider
):
    client = client_for(secretary)
    for method, url in _set_up_screens(other_board, outsider):
        assert getattr(client, method)(url).status_code == 404, url
    # Nor, from their own board's pages, another partnership's person or invitation.
    assert (
        client.get(reverse("boards:person_edit", args=[board.slug, outsider.pk])).status_code
        == 404
    )
    theirs = services.invite_person(
        person=PersonFactory(user=None, added_for=other_board), board=other_board
    )
    revoke = reverse("boards:invitation_revoke", args=[board.slug, theirs.pk])
    assert client.post(revoke).status_code == 404
    people = client.get(reverse("boards:people", args=[board.slug])).content.decode()
    assert (
        secretary.name in people and outsider.name not in people and outsider.email not in people
    )
    theirs.refresh_from_db()
    assert theirs.is_pending


# --- organisations -----------------------------------------------------------------------


def test_a_secretary_adds_a_community_organisation(client_for, board, secretary):
    client_for(secretary).post(
        reverse("boards:organisations", args=[board.slug]),
        {"name": "Pinehurst Residents", "short_name": "PRA", "sector": "community"},
    )
    organisation = Organisation.objects.get(name="Pinehurst Residents")
    assert organisation.get_sector_display() == "Community"
    assert Organisation.objects.of_partnership(board).filter(pk=organisation.pk).exists()


def test_merging_two_duplicates_repoints_everything_to_the_one_kept(
    client_for, board, secretary, member
):
    kept = OrganisationFactory(name="Swindon Borough Council", short_name="SBC")
    kept.listed_for.add(board)
    duplicate = OrganisationFactory(name="Swindon BC", short_name="")
    member.organisation = duplicate
    member.save()
    member.memberships.update(representing=duplicate)
    response = client_for(secretary).post(
        reverse("boards:organisation_merge", args=[board.slug]),
        {"keep": kept.pk, "duplicate": duplicate.pk},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organisation == kept
    assert member.memberships.get().representing == kept
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()


def test_it_will_not_merge_another_partnerships_organisation(board, secretary, outsider):
    with pytest.raises(services.SetupError):
        services.merge_organisations(
            board=board, keep=secretary.organisation, duplicate=outsider.organisation
        )
    assert Organisation.objects.filter(pk=outsider.organisation_id).exists()


# --- people and memberships -------------------------------------------------------------


def test_a_secretary_adds_a_person_and_a_membership_with_a_deputy(client_for, board, secretary):
    client = client_for(secretary)
    council = services.save_organisation(board=board, name="Wiltshire Council", short_name="WC")
    client.post(
        reverse("boards:person_new", args=[board.slug]),
        {
            "title": "Cllr",
            "name": "Jane Ward",
            "email": "jane@wilts.example",
            "organisation": council.pk,
        },
    )
    client.post(
        reverse("boards:person_new", args=[board.slug]),
        {"name": "Dev Deputy", "email": "dev@wilts.example", "organisation": council.pk},
    )
    jane, dev = Person.objects.get(name="Jane Ward"), Person.objects.get(name="Dev Deputy")
    response = client.post(
        reverse("boards:membership_new", args=[board.slug]),
        {"person": jane.pk, "role": "chair", "started_on": "2013-01-15", "deputy": dev.pk},
    )
    assert response.status_code == 302
    membership = board.memberships.get(person=jane)
    assert (membership.role, membership.deputy, membership.started_on) == (
        "chair",
        dev,
        dt.date(2013, 1, 15),
    )
    board.refresh_from_db()
    assert board.chair == jane
    page = client.get(reverse("boards:members", args=[board.slug])).content.decode()
    assert "Dev Deputy" in page


def test_a_deputy_from_another_partnership_is_refused(board, secretary, member, outsider):
    with pytest.raises(services.SetupError, match="not one of this partnership"):
        services.save_membership(
            board=board,
            membership=member.memberships.get(),
            person=member,
            role="member",
            deputy=outsider,
        )


def test_an_e_mail_already_used_is_a_form_error_that_keeps_what_was_typed(
    client_for, board, secretary, member
):
    response = client_for(secretary).post(
        reverse("boards:person_new", args=[board.slug]),
        {"name": "Second Mo", "email": member.email.upper()},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "already has the e-mail" in body and 'value="Second Mo"' in body
    assert not Person.objects.filter(name="Second Mo").exists()


# --- many people at once -----------------------------------------------------------------

CSV = (
    "name,title,email,organisation,role,started_on\n"
    "Anna Able,Dr,anna@kennet.example,Kennet Health,member,2013-01-15\n"
    ",,nobody@kennet.example,,member,\n"
    "Bob Bad,,not-an-email,,member,\n"
    "Cara Chair,Cllr,cara@kennet.example,Kennet Council,boss,\n"
    "Dan Date,,dan@kennet.example,,observer,15/13/2013\n"
    "Eve Easy,,eve@kennet.example,Kennet Health,observer,15/01/2013\n"
)


def test_an_import_preview_names_each_bad_row_and_saves_nothing(client_for, board, secretary):
    people_before = Person.objects.count()
    upload = SimpleUploadedFile("people.csv", CSV.encode(), content_type="text/csv")
    response = client_for(secretary).post(
        reverse("boards:people_import", args=[board.slug]), {"file": upload}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Row 3:</strong> the name is empty" in body
    assert "<strong>Row 4:</strong> &#x27;not-an-email&#x27; is not an e-mail address" in body
    assert "<strong>Row 5:</strong> &#x27;boss&#x27; is not a role" in body
    assert "<strong>Row 6:</strong> started_on &#x27;15/13/2013&#x27; is not a date" in body
    assert "Add 2 people" in body
    assert Person.objects.count() == people_before
    assert not Organisation.objects.filter(name="Kennet Health").exists()


def test_confirming_the_preview_saves_the_good_rows(client_for, board, secretary):
    client = client_for(secretary)
    response = client.post(
        reverse("boards:people_import", args=[board.slug]), {"text": CSV, "confirm": "1"}
    )
    assert response.status_code == 302
    anna = Person.objects.get(email="anna@kennet.example")
    assert anna.title == "Dr" and anna.organisation.name == "Kennet Health"
    eve = board.memberships.get(person__name="Eve Easy")
    assert eve.role == "observer" and eve.started_on == dt.date(2013, 1, 15)
    assert not Person.objects.filter(name__in=["Bob Bad", "Cara Chair", "Dan Date"]).exists()
    assert Organisation.objects.filter(name="Kennet Health").count() == 1


def test_an_unreadable_upload_is_a_form_error(client_for, board, secretary):
    upload = SimpleUploadedFile("people.csv", b"who,what\nx,y\n", content_type="text/csv")
    response = client_for(secretary).post(
        reverse("boards:people_import", args=[board.slug]), {"file": upload}
    )
    assert response.status_code == 400
    assert "one must be &#x27;name&#x27;" in response.content.decode()


def test_an_imported_row_with_a_partnership_persons_e_mail_reuses_them(board, secretary):
    officer = PersonFactory(user=None, added_for=board, email="officer@kennet.example")
    saved = services.import_people(
        board=board, text="name,email,role\nThe Officer,officer@kennet.example,adviser\n"
    )
    assert saved == 1
    assert board.memberships.get(person=officer).role == "adviser"
    assert Person.objects.filter(email="officer@kennet.example").count() == 1


def test_the_board_page_links_to_set_up_only_for_those_allowed(
    client_for, board, secretary, member
):
    assert "Set up board" in client_for(secretary).get(board.get_absolute_url()).content.decode()
    assert "Set up board" not in client_for(member).get(board.get_absolute_url()).content.decode()


DEPUTIES_CSV = (
    "name,title,email,organisation,role,deputy\n"
    "Jane Ward,Cllr,jane@kennet.example,Kennet Council,chair,dev@kennet.example\n"
    "Dev Deputy,,dev@kennet.example,Kennet Council,member,\n"
    "Pat Prior,,pat@kennet.example,,member,Officer Known\n"
    "Nia New,,nia@kennet.example,,member,Rhys Standin\n"
    "Sol Self,,sol@kennet.example,,member,Sol Self\n"
    "Una Unknown,,una@kennet.example,,member,nobody@kennet.example\n"
    "Ola Other,,ola@kennet.example,,member,ola.outsider@else.example\n"
    "Bea Broken,,bea@kennet.example,,boss,\n"
    "Carl Cascade,,carl@kennet.example,,member,bea@kennet.example\n"
)


def test_an_import_names_each_members_standing_deputy(board, secretary, outsider):
    """Issue 15: a deputy column, by e-mail or name, of the file or of the partnership."""
    known = PersonFactory(user=None, name="Officer Known", added_for=board)
    outsider.email = "ola.outsider@else.example"
    outsider.save()
    rows = {
        row.name: row for row in check_rows(board=board, dataset=read_people(text=DEPUTIES_CSV))
    }
    assert rows["Jane Ward"].errors == [] and rows["Jane Ward"].deputy_row == 3
    assert rows["Pat Prior"].deputy_person == known
    assert "new person, as deputy only: Rhys Standin" in rows["Nia New"].notes
    assert rows["Sol Self"].errors == ["a member cannot be their own deputy"]
    assert "no one has the deputy's e-mail" in rows["Una Unknown"].errors[0]
    assert "another partnership's board" in rows["Ola Other"].errors[0]
    assert rows["Carl Cascade"].errors == ["the deputy's row 9 cannot be saved"]

    saved = services.import_people(board=board, text=DEPUTIES_CSV)

    assert saved == 4
    deputy_of = {m.person.name: m.deputy for m in board.memberships.select_related("deputy")}
    assert deputy_of["Jane Ward"].name == "Dev Deputy"  # a later row of the file
    assert deputy_of["Pat Prior"] == known
    rhys = deputy_of["Nia New"]
    assert rhys.name == "Rhys Standin" and "Rhys Standin" not in deputy_of  # deputy only
    assert Person.objects.of_partnership(board).filter(pk=rhys.pk).exists()
    for refused in ("Sol Self", "Una Unknown", "Ola Other", "Bea Broken", "Carl Cascade"):
        assert refused not in deputy_of


def test_the_import_preview_shows_each_deputy(client_for, board, secretary):
    upload = SimpleUploadedFile("people.csv", DEPUTIES_CSV.encode(), content_type="text/csv")
    body = (
        client_for(secretary)
        .post(reverse("boards:people_import", args=[board.slug]), {"file": upload})
        .content.decode()
    )
    assert '<th scope="col">Deputy</th>' in body
    assert "<td>Chair</td><td>Dev Deputy (row 3)</td>" in body
    assert "<strong>Row 6:</strong> a member cannot be their own deputy" in body


def _add_people(board, n):
    for _ in range(n):
        organisation = OrganisationFactory()
        organisation.listed_for.add(board)
        person = PersonFactory(organisation=organisation, added_for=board)
        deputy = PersonFactory(user=None, organisation=organisation, added_for=board)
        services.save_membership(board=board, person=person, role="member", deputy=deputy)
        services.invite_person(person=deputy, board=board)


@pytest.mark.parametrize("page", ["people", "organisations", "members"])
def test_the_set_up_lists_cost_the_same_queries_for_2_or_12(
    client_for, board, secretary, page, django_assert_max_num_queries
):
    client = client_for(secretary)
    url = reverse(f"boards:{page}", args=[board.slug])
    client.get(url)  # the first request after signing in also saves the session
    counts = []
    for n in (2, 10):
        _add_people(board, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(12):
        client.get(url)


def test_the_members_page_lists_current_members_chair_first(client_for, board, secretary):
    jane = PersonFactory(name="Jane Ward", added_for=board)
    adam = PersonFactory(name="Adam Adviser", added_for=board)
    gone = PersonFactory(name="Aaron Gone", added_for=board)
    services.save_membership(board=board, person=jane, role="chair")
    services.save_membership(board=board, person=adam, role="adviser")
    services.save_membership(board=board, person=gone, role="chair", ended_on=dt.date(2013, 3, 31))
    body = client_for(secretary).get(reverse("boards:members", args=[board.slug])).content
    order = [body.decode().index(name) for name in ("Jane Ward", "Adam Adviser", "Aaron Gone")]
    assert order == sorted(order)


def test_the_invitation_page_lists_the_password_rules_without_an_empty_one(
    client, board, django_capture_on_commit_callbacks
):
    person = PersonFactory(user=None, added_for=board)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_person(person=person, board=board)
    body = client.get(_path(_link(mail.outbox[0]))).content.decode()
    assert "at least 10 characters" in body and "<li></li>" not in body


def test_an_excel_upload_is_previewed_like_a_csv(client_for, board, secretary):
    import tablib

    sheet = tablib.Dataset(
        ["Anna Able", "anna@kennet.example", "Kennet Health", "member", "2013-01-15"],
        ["Bob Bad", "not-an-email", "", "member", ""],
        headers=["name", "email", "organisation", "role", "started_on"],
    )
    upload = SimpleUploadedFile("people.xlsx", sheet.export("xlsx"))
    body = (
        client_for(secretary)
        .post(reverse("boards:people_import", args=[board.slug]), {"file": upload})
        .content.decode()
    )
    assert "<strong>Row 3:</strong> &#x27;not-an-email&#x27; is not an e-mail address" in body
    assert "Add 1 person" in body
    assert not Person.objects.filter(name="Anna Able").exists()
