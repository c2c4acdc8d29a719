"""API tokens: issued only past two-factor, expiring, listed and revoked by their owner, and
ended by a new password."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework.test import APIClient

from .test_security_two_factor import _code, _confirmed_device

pytestmark = pytest.mark.django_db

TOKEN = "/api/token/"
PAGE = "/accounts/api-tokens/"
PASSWORD = "correct-horse-battery"


def _ask(person, **extra):
    return APIClient().post(
        TOKEN, {"username": person.user.username, "password": PASSWORD, **extra}
    )


def _works(key) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/boards/").status_code == 200


def test_it_wants_the_code_from_someone_with_an_authenticator(member):
    device = _confirmed_device(member)
    refused = _ask(member)
    assert refused.status_code == 400
    assert "token" not in refused.json()
    assert "send the 6-digit code" in refused.json()["code"][0]
    assert not AuthToken.objects.exists()
    wrong = _ask(member, code="000000" if _code(device) != "000000" else "111111")
    assert wrong.status_code == 400
    assert "not right" in wrong.json()["code"][0]
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    issued = _ask(member, code=_code(device))
    assert issued.status_code == 200
    assert _works(issued.json()["token"])


def test_it_gives_no_token_to_a_secretary_who_must_but_has_not_set_up_two_factor(
    secretary, settings
):
    settings.MINUTEBOOK_REQUIRE_2FA = True
    response = _ask(secretary)
    assert response.status_code == 400
    assert "set it up in Minutebook" in response.json()["code"][0]
    assert not AuthToken.objects.exists()


def test_a_member_without_two_factor_gets_a_token_that_expires(member, settings):
    days = settings.API_TOKEN_DAYS  # 30 unless set
    response = _ask(member)
    assert response.status_code == 200
    key = response.json()["token"]
    token = AuthToken.objects.get(user=member.user)
    assert token.expiry - timezone.now() > dt.timedelta(days=days) - dt.timedelta(minutes=1)
    assert token.expiry - timezone.now() <= dt.timedelta(days=days)
    assert _works(key)
    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert not _works(key)


def test_only_the_key_s_hash_is_stored(member):
    key = _ask(member).json()["token"]
    assert not AuthToken.objects.filter(digest=key).exists()
    assert key not in str(list(AuthToken.objects.values_list()))


def test_a_person_lists_issues_and_revokes_their_own_tokens(client_for, member, secretary):
    _, theirs = AuthToken.objects.create(user=secretary.user)
    first = _ask(member).json()["token"]
    client = client_for(member)
    page = client.get(PAGE).content.decode()
    assert first[:8] in page
    assert theirs[:8] not in page
    issued = client.post(PAGE, {"issue": "1"}).content.decode()
    second = re.search(r'aria-label="New token">(\w+)<', issued).group(1)
    assert _works(second)
    assert "not shown again" in issued
    mine = AuthToken.objects.get(token_key=first[: CONSTANTS.TOKEN_KEY_LENGTH])
    response = client.post(PAGE, {"revoke": mine.digest}, follow=True)
    assert "The token is revoked" in response.content.decode()
    assert not _works(first)
    assert _works(second)
    # Somebody else's token is out of reach.
    other = AuthToken.objects.get(user=secretary.user)
    client.post(PAGE, {"revoke": other.digest})
    assert _works(theirs)


def test_the_two_factor_page_links_to_the_tokens(client_for, member):
    page = client_for(member).get("/accounts/two-factor/").content.decode()
    assert f'href="{PAGE}"' in page


def test_issuing_on_the_page_asks_an_unverified_session_for_the_code(client_for, member):
    _confirmed_device(member)
    client = client_for(member)  # signed in without the code (e.g. before the device)
    response = client.post(PAGE, {"issue": "1"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/")
    assert not AuthToken.objects.exists()


def test_a_password_change_ends_every_token(client_for, member):
    key = _ask(member).json()["token"]
    client = client_for(member)
    new = "minute-book-ledger-42"
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert not _works(key)
    assert not AuthToken.objects.filter(user=member.user).exists()


def test_a_password_reset_ends_every_token(member):
    key = _ask(member).json()["token"]
    client = Client()
    client.post("/accounts/password_reset/", {"email": member.user.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    new = "minute-book-ledger-42"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    assert not _works(key)
