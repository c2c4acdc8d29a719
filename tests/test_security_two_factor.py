"""TOTP two-factor sign-in: set-up with a QR code, the code step, and the secretary/chair rule."""

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/"
VERIFY = "/accounts/two-factor/verify/"


def _code(device, steps_ahead=0):
    """The code the person's app shows now (or in a later 30-second step)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def _confirmed_device(person):
    return TOTPDevice.objects.create(user=person.user, name="phone", confirmed=True)


def _wait_out_the_throttle(device):
    """After a wrong code django-otp refuses codes for a second, doubling each time."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def _sign_in(client, person, next_url=""):
    data = {"username": person.user.username, "password": "correct-horse-battery"}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def test_it_sets_up_an_authenticator_from_a_qr_code(client_for, member):
    client = client_for(member)
    page = client.get(SETUP).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert "Type this key instead" in page or "type this key instead" in page
    device = TOTPDevice.objects.get(user=member.user)
    assert device.confirmed is False
    response = client.post(SETUP, {"code": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    assert "Two-factor sign-in is on" in client.get(SETUP).content.decode()


def test_a_wrong_set_up_code_leaves_it_off(client_for, member):
    client = client_for(member)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=member.user)
    response = client.post(SETUP, {"code": "000000" if _code(device) != "000000" else "111111"})
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    nonsense = client.post(SETUP, {"code": "12ab"})
    assert "Enter the 6 digits your app shows." in nonsense.content.decode()


def test_without_a_device_the_password_is_enough(client, member):
    response = _sign_in(client, member)
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_with_a_device_it_asks_for_the_code(client, member):
    device = _confirmed_device(member)
    response = _sign_in(client, member, next_url="/accounts/reminders/")
    assert response.url == VERIFY
    # Not signed in yet: the password alone opens nothing.
    assert client.get("/").status_code == 302
    assert "Enter your code" in client.get(VERIFY).content.decode()
    wrong = client.post(VERIFY, {"code": _code(device, steps_ahead=5)})
    assert "That code is not right" in wrong.content.decode()
    _wait_out_the_throttle(device)
    right = client.post(VERIFY, {"code": _code(device)})
    assert right.status_code == 302
    assert right.url == "/accounts/reminders/"
    assert client.get("/").status_code == 200


def test_a_code_works_only_once(client, member):
    device = _confirmed_device(member)
    code = _code(device)
    _sign_in(client, member)
    client.post(VERIFY, {"code": code})
    again = Client()
    _sign_in(again, member)
    response = again.post(VERIFY, {"code": code})
    assert "already used" in response.content.decode()


def test_repeated_wrong_codes_are_slowed_down(client, member):
    device = _confirmed_device(member)
    _sign_in(client, member)
    for _ in range(3):
        client.post(VERIFY, {"code": _code(device, steps_ahead=7)})
    response = client.post(VERIFY, {"code": _code(device)})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/").status_code == 302


def test_the_code_page_without_a_password_sends_you_to_sign_in(client, db):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response.url == "/accounts/login/"


def test_a_member_can_turn_it_off_with_a_current_code(client, member):
    device = _confirmed_device(member)
    _sign_in(client, member)
    client.post(VERIFY, {"code": _code(device)})
    refused = client.post(SETUP, {"turn_off": "1", "code": "12345"})
    assert "Enter a current code" in refused.content.decode() or refused.status_code == 200
    assert TOTPDevice.objects.filter(user=member.user).exists()
    client.post(SETUP, {"turn_off": "1", "code": _code(device, steps_ahead=1)})
    assert not TOTPDevice.objects.filter(user=member.user, confirmed=True).exists()


@pytest.mark.parametrize("role", ["secretary", "chair"])
def test_secretaries_and_chairs_set_it_up_first_when_required(
    request, client_for, settings, board, role
):
    settings.MINUTEBOOK_REQUIRE_2FA = True
    person = request.getfixturevalue(role)
    client = client_for(person)
    response = client.get(board.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(SETUP)
    page = client.get(response.url).content.decode()
    assert "needs two-factor sign-in" in page
    device = TOTPDevice.objects.get(user=person.user)
    done = client.post(response.url, {"code": _code(device), "next": board.get_absolute_url()})
    assert done.url == board.get_absolute_url()
    assert client.get(board.get_absolute_url()).status_code == 200


def test_members_are_not_forced_when_required(client_for, settings, board, member):
    settings.MINUTEBOOK_REQUIRE_2FA = True
    assert client_for(member).get(board.get_absolute_url()).status_code == 200


def test_nobody_is_forced_when_the_setting_is_off(client_for, settings, board, secretary):
    settings.MINUTEBOOK_REQUIRE_2FA = False
    assert client_for(secretary).get(board.get_absolute_url()).status_code == 200


def test_a_required_secretary_with_a_device_proves_it_and_cannot_turn_it_off(
    client_for, settings, board, secretary
):
    settings.MINUTEBOOK_REQUIRE_2FA = True
    device = _confirmed_device(secretary)
    client = client_for(secretary)  # a session that never gave a code
    response = client.get(board.get_absolute_url())
    assert response.url.startswith(SETUP)
    assert "Type the code from your authenticator app" in client.get(response.url).content.decode()
    client.post(SETUP, {"code": _code(device)})
    assert client.get(board.get_absolute_url()).status_code == 200
    page = client.get(SETUP).content.decode()
    assert "cannot be turned off" in page
    client.post(SETUP, {"turn_off": "1", "code": _code(device, steps_ahead=1)})
    assert TOTPDevice.objects.filter(user=secretary.user, confirmed=True).exists()


def test_signing_out_is_never_blocked(client_for, settings, secretary):
    settings.MINUTEBOOK_REQUIRE_2FA = True
    client = client_for(secretary)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/"


def test_it_never_redirects_to_another_site_after_set_up(client_for, member):
    client = client_for(member)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=member.user)
    response = client.post(SETUP, {"code": _code(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_the_admin_sign_in_goes_through_the_code_step(client, member):
    member.user.is_staff = True
    member.user.save()
    device = _confirmed_device(member)
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response.url)
    assert login.status_code == 302
    assert login.url == "/accounts/login/?next=/admin/"
    # The admin's own form is gone: posting to it signs nobody in.
    client.post(
        "/admin/login/", {"username": member.user.username, "password": "correct-horse-battery"}
    )
    assert client.get("/").status_code == 302
    assert _sign_in(client, member, next_url="/admin/").url == VERIFY
    assert client.post(VERIFY, {"code": _code(device)}).url == "/admin/"
