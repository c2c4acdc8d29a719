import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.tests.factories import ActionFactory
from boards.tests.factories import BoardFactory, MembershipFactory
from meetings.tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory
from search.services import ThreadError, link_item

pytestmark = pytest.mark.django_db


def meeting_on(board, year, month, day):
    return MeetingFactory(
        board=board, starts_at=timezone.make_aware(dt.datetime(year, month, day, 14, 0))
    )


@pytest.fixture
def matter(board):
    """Joint commissioning at three meetings, each following the one before."""
    first = AgendaItemFactory(meeting=meeting_on(board, 2013, 1, 15), title="Community Budgets")
    DecisionFactory(item=first, text="To take the ideas to the Delivery Board.")
    second = AgendaItemFactory(
        meeting=meeting_on(board, 2014, 3, 18), title="Joint Commissioning", follows=first
    )
    ActionFactory(item=second, text="Appoint a consultant.")
    third = AgendaItemFactory(
        meeting=meeting_on(board, 2014, 6, 17), title="Commissioning update", follows=second
    )
    return first, second, third


def url(item):
    return reverse("search:thread", args=[item.pk])


def test_it_shows_the_whole_history_from_any_point(client_for, member, matter):
    first, second, third = matter
    response = client_for(member).get(url(second))
    assert response.status_code == 200
    assert [entry.pk for entry in response.context["thread"].entries] == [
        first.pk,
        second.pk,
        third.pk,
    ]
    html = response.content.decode()
    assert "To take the ideas to the Delivery Board." in html
    assert "Appoint a consultant." in html
    assert "Commissioning update" in html


def test_it_follows_a_branch_to_every_later_item(client_for, member, matter, board):
    first, _, _ = matter
    branch = AgendaItemFactory(meeting=meeting_on(board, 2014, 9, 1), follows=first)
    response = client_for(member).get(url(first))
    assert branch.pk in [entry.pk for entry in response.context["thread"].entries]


def test_it_hides_confidential_items_of_the_thread_from_an_observer(client_for, observer, matter):
    first, second, third = matter
    second.confidential = True
    second.save()
    response = client_for(observer).get(url(first))
    assert [entry.pk for entry in response.context["thread"].entries] == [first.pk, third.pk]
    assert "Joint Commissioning" not in response.content.decode()
    assert "1 more on boards or confidential items you cannot see" in response.content.decode()
    assert client_for(observer).get(url(second)).status_code == 404


def test_it_is_not_found_for_someone_not_on_the_board(client_for, outsider, matter):
    assert client_for(outsider).get(url(matter[0])).status_code == 404


def test_a_secretary_links_an_item_to_an_earlier_one(client_for, secretary, board, matter):
    first, _, _ = matter
    fresh = AgendaItemFactory(meeting=meeting_on(board, 2014, 9, 1), title="Community Budgets")
    client = client_for(secretary)
    assert "Link to an earlier meeting" in client.get(url(fresh)).content.decode()
    response = client.post(url(fresh), {"follows": first.pk}, follow=True)
    fresh.refresh_from_db()
    assert fresh.follows == first
    assert "The thread is updated." in response.content.decode()


def test_a_secretary_unlinks_an_item(client_for, secretary, matter):
    _, _, third = matter
    client_for(secretary).post(url(third), {"follows": ""})
    third.refresh_from_db()
    assert third.follows is None


def test_a_member_sees_no_link_form_and_cannot_post(client_for, member, matter):
    first, second, _ = matter
    client = client_for(member)
    assert "Link to an earlier meeting" not in client.get(url(second)).content.decode()
    assert client.post(url(second), {"follows": ""}).status_code == 403
    second.refresh_from_db()
    assert second.follows == first


def test_it_offers_only_earlier_items_of_the_board_or_its_parent(
    client_for, secretary, board, matter
):
    first, second, third = matter
    parent = BoardFactory(name="Health and Wellbeing Board")
    board.parent = parent
    board.save()
    MembershipFactory(person=secretary, board=parent)
    referred = AgendaItemFactory(meeting=meeting_on(parent, 2014, 2, 1), title="Referral")
    elsewhere = AgendaItemFactory(meeting=meeting_on(BoardFactory(), 2014, 2, 1))
    response = client_for(secretary).get(url(second))
    offered = {pk for pk, _ in response.context["form"].fields["follows"].choices if pk}
    offered = {int(str(pk)) for pk in offered}
    assert first.pk in offered
    assert referred.pk in offered
    assert elsewhere.pk not in offered
    assert third.pk not in offered  # later, and it follows this one


def test_it_refuses_a_link_to_a_later_item_with_a_message(client_for, secretary, matter, board):
    first, _, third = matter
    response = client_for(secretary).post(url(first), {"follows": third.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    first.refresh_from_db()
    assert first.follows is None


def test_the_service_refuses_loops_other_boards_and_later_meetings(matter, other_board):
    first, second, third = matter
    with pytest.raises(ThreadError, match="earlier meeting"):
        link_item(item=first, follows=third)
    elsewhere = AgendaItemFactory(meeting=meeting_on(other_board, 2012, 1, 1))
    with pytest.raises(ThreadError, match="this board"):
        link_item(item=first, follows=elsewhere)
    # A loop needs an earlier item that already follows this one: make one by hand.
    first.follows = None
    first.save()
    earlier = AgendaItemFactory(meeting=meeting_on(first.meeting.board, 2012, 6, 1))
    earlier.follows = first
    earlier.save()
    with pytest.raises(ThreadError, match="loop"):
        link_item(item=first, follows=earlier)


def test_it_stops_on_a_loop_in_old_data(client_for, member, matter):
    first, _, third = matter
    first.follows = third
    first.save()
    response = client_for(member).get(url(first))
    assert response.status_code == 200
    assert len(response.context["thread"].entries) == 3
