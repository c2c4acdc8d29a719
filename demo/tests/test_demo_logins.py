"""The demo's sign-ins: the secretary runs the boards from their role, not as a superuser;
the installation's admin is a separate sign-in."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from boards.models import Board
from boards.permissions import Perm, can
from demo.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_it_makes_the_demo_secretary_no_superuser_but_the_secretary_of_both_boards():
    seed_demo()
    secretary = get_user_model().objects.get(username="secretary")
    assert not secretary.is_superuser and not secretary.is_staff
    for board in Board.objects.all():
        assert can(secretary, Perm.MANAGE_BOARD, board)
        assert can(secretary, Perm.EDIT_MEETINGS, board)


def test_it_makes_a_separate_admin_who_may_sign_in_with_the_demo_password(client):
    seed_demo()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("minutebook-demo")
    assert not hasattr(admin, "person") or admin.person is None


def test_the_sign_ins_printed_by_make_run_name_the_admin(capsys):
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert "secretary" in out
    assert "admin" in out.split("Installation admin")[1]


def test_the_demo_secretary_reaches_the_set_up_pages(client):
    seed_demo()
    client.force_login(get_user_model().objects.get(username="secretary"))
    board = Board.objects.get(slug="one-swindon-delivery-board")
    assert client.get(f"/boards/{board.slug}/settings/").status_code == 200
    assert client.get("/boards/new/").status_code == 403
