"""Fixtures shared by every app's tests: a board with people in each role."""

import pytest

from boards.models import Membership
from boards.tests.factories import BoardFactory, MembershipFactory, PersonFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def board(db):
    return BoardFactory(name="One Swindon Board", slug="one-swindon-board")


@pytest.fixture
def other_board(db):
    return BoardFactory(name="Somewhere Else Board", slug="somewhere-else")


def _person_with_role(board, role, **kwargs):
    person = PersonFactory(**kwargs)
    MembershipFactory(person=person, board=board, role=role)
    return person


@pytest.fixture
def secretary(board):
    return _person_with_role(board, Membership.Role.SECRETARY, name="Sam Secretary")


@pytest.fixture
def chair(board):
    return _person_with_role(board, Membership.Role.CHAIR, name="Chris Chair")


@pytest.fixture
def member(board):
    return _person_with_role(board, Membership.Role.MEMBER, name="Mo Member")


@pytest.fixture
def observer(board):
    return _person_with_role(board, Membership.Role.OBSERVER, name="Olu Observer")


@pytest.fixture
def outsider(other_board):
    return _person_with_role(other_board, Membership.Role.MEMBER, name="Ola Outsider")


@pytest.fixture
def client_for(client):
    """client_for(person) -> a test client signed in as that person."""

    def sign_in(person):
        client.force_login(person.user)
        return client

    return sign_in
