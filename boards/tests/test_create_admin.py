"""Issue 15, point 1: `manage.py create_admin` makes the installation's admin, who starts
partnerships in the app's own pages."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_makes_a_staff_admin_who_reaches_the_new_partnership_page(client, monkeypatch, capsys):
    monkeypatch.setenv("ADMIN_PASSWORD", "Lanterns-over-Kennet-42")
    call_command("create_admin", "--username", "installer", "--password-from", "ADMIN_PASSWORD")
    user = get_user_model().objects.get(username="installer")
    assert user.is_staff and user.check_password("Lanterns-over-Kennet-42")
    assert "New partnership" in capsys.readouterr().out
    client.force_login(user)
    assert client.get(reverse("boards:new")).status_code == 200


def test_it_refuses_a_weak_password_or_a_taken_name(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "admin")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_admin", "--password-from", "ADMIN_PASSWORD")
    assert not get_user_model().objects.exists()
    get_user_model().objects.create(username="admin")
    monkeypatch.setenv("ADMIN_PASSWORD", "Lanterns-over-Kennet-42")
    with pytest.raises(CommandError, match="already a user called admin"):
        call_command("create_admin", "--password-from", "ADMIN_PASSWORD")
