"""Sign-in, the home page, the board page and the minutes read view."""

import datetime as dt

import pytest
from django.utils import timezone

from actions.tests.factories import ActionFactory
from boards.tests.factories import BoardFactory, MembershipFactory
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_pages_need_a_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_about_page_says_where_things_are_without_sign_in(client, member):
    response = client.get("/about/")
    assert response.status_code == 200
    assert "Where things are" in response.content.decode()
    assert "About and help" in client.get("/accounts/login/").content.decode()


def test_it_signs_in_and_out(client, member):
    response = client.post(
        "/accounts/login/", {"username": member.user.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_refused_clearly(client, member):
    response = client.post(
        "/accounts/login/", {"username": member.user.username, "password": "nope"}
    )
    assert "Please enter a correct username and password" in response.content.decode()


def test_home_lists_my_boards_with_next_meeting_and_open_actions(client_for, board, member):
    MeetingFactory(board=board, starts_at=timezone.now() + dt.timedelta(days=3))
    item = AgendaItemFactory(meeting__board=board)
    ActionFactory(item=item)
    ActionFactory(item=item, status="done", closed_at=timezone.now())
    BoardFactory(name="Not My Board")
    page = client_for(member).get("/").content.decode()
    assert "One Swindon Board" in page
    assert "Not My Board" not in page
    assert '<td class="text-end">1</td>' in page


def test_home_query_count_does_not_grow_with_boards(
    client_for, member, django_assert_max_num_queries
):
    client = client_for(member)
    for _ in range(5):
        MembershipFactory(person=member, board=BoardFactory())
    # 9: the navigation count, counted after a change, reads the record's version too.
    with django_assert_max_num_queries(9):
        client.get("/")


def test_board_page_shows_members_meetings_and_sub_boards(client_for, board, member, secretary):
    sub = BoardFactory(name="Delivery Board", parent=board)
    MembershipFactory(person=member, board=sub)
    MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=30))
    page = client_for(member).get(board.get_absolute_url()).content.decode()
    assert "Sam Secretary" in page
    assert "Delivery Board" in page
    assert "Past meetings" in page


def test_board_page_is_hidden_from_outsiders(client_for, board, outsider):
    assert client_for(outsider).get(board.get_absolute_url()).status_code == 404


def test_minutes_hide_confidential_items_from_observers(client_for, board, observer, member):
    meeting = MeetingFactory(board=board)
    AgendaItemFactory(meeting=meeting, title="Exempt: staffing", confidential=True)
    AgendaItemFactory(meeting=meeting, title="Shared strategy")
    observer_page = client_for(observer).get(meeting.get_absolute_url()).content.decode()
    assert "Shared strategy" in observer_page
    assert "Exempt: staffing" not in observer_page
    member_page = client_for(member).get(meeting.get_absolute_url()).content.decode()
    assert "Exempt: staffing" in member_page
