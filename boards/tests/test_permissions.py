import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from boards.permissions import Perm, can, require
from boards.tests.factories import MembershipFactory, UserFactory


@pytest.mark.parametrize(
    ("role_fixture", "perm", "allowed"),
    [
        ("secretary", Perm.EDIT_MEETINGS, True),
        ("secretary", Perm.APPROVE_MINUTES, False),
        ("chair", Perm.APPROVE_MINUTES, True),
        ("chair", Perm.EDIT_MEETINGS, True),
        ("member", Perm.VIEW, True),
        ("member", Perm.VIEW_CONFIDENTIAL, True),
        ("member", Perm.EDIT_MEETINGS, False),
        ("member", Perm.MANAGE_ACTIONS, False),
        ("observer", Perm.VIEW, True),
        ("observer", Perm.VIEW_CONFIDENTIAL, False),
        ("observer", Perm.UPDATE_OWN_ACTIONS, False),
        ("outsider", Perm.VIEW, False),
    ],
)
def test_it_answers_from_the_membership_role(request, board, role_fixture, perm, allowed):
    person = request.getfixturevalue(role_fixture)
    assert can(person.user, perm, board) is allowed


def test_it_grants_confidential_items_to_an_observer_when_the_board_does(observer, board):
    membership = observer.memberships.get()
    membership.sees_confidential = True
    membership.save()
    assert can(observer.user, Perm.VIEW_CONFIDENTIAL, board)


def test_it_forgets_a_membership_that_has_ended(member, board):
    member.memberships.update(ended_on="2020-01-01")
    assert not can(member.user, Perm.VIEW, board)


def test_it_hides_the_board_from_outsiders_and_refuses_members(board, outsider, member):
    with pytest.raises(Http404):
        require(outsider.user, Perm.VIEW, board)
    with pytest.raises(PermissionDenied):
        require(member.user, Perm.EDIT_MEETINGS, board)


def test_it_gives_site_staff_everything(board, db):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert all(can(admin, perm, board) for perm in Perm)


def test_anonymous_may_do_nothing(board):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), Perm.VIEW, board)


def test_it_reads_the_membership_once_per_request(member, board, django_assert_num_queries):
    user = member.user
    with django_assert_num_queries(1):
        for perm in Perm:
            can(user, perm, board)


def test_a_person_on_two_boards_has_each_role(board, other_board, member):
    MembershipFactory(person=member, board=other_board, role="secretary")
    assert can(member.user, Perm.EDIT_MEETINGS, other_board)
    assert not can(member.user, Perm.EDIT_MEETINGS, board)
