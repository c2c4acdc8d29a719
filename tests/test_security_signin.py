"""Sign-in hardening: lock-out with a cool-off, password rules, session expiry, reset by e-mail."""

import datetime as dt
import re
from importlib import import_module

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _try(client, username, password="wrong-password-1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_it_pauses_sign_in_after_five_wrong_passwords(client, member, settings):
    name = member.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, name).status_code == 200
    response = _try(client, name)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused for 15 minutes" in page
    assert "You can try again after" in page
    # Even the right password is refused while paused.
    assert _try(client, name, "correct-horse-battery").status_code == 429
    assert client.get("/").status_code == 302


def test_the_pause_ends_after_the_cool_off(client, member, settings):
    name = member.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, name)
    assert _try(client, name, "correct-horse-battery").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )
    assert _try(client, name, "correct-horse-battery").status_code == 302
    assert client.get("/").status_code == 200


def test_the_cool_off_is_never_permanent(settings):
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_an_attacker_elsewhere_cannot_lock_a_member_out(member, settings):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _try(attacker, member.user.username)
    assert _try(attacker, member.user.username).status_code == 429
    at_home = Client(REMOTE_ADDR="198.51.100.7")
    assert _try(at_home, member.user.username, "correct-horse-battery").status_code == 302


def test_wrong_passwords_for_other_names_do_not_lock_this_one(client, member, settings):
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        _try(client, f"someone-{n}")
    assert _try(client, member.user.username, "correct-horse-battery").status_code == 302


def test_a_right_password_clears_earlier_failures(client, member, settings):
    name = member.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, name)
    assert _try(client, name, "correct-horse-battery").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, name)
    assert _try(client, name, "correct-horse-battery").status_code == 302


def test_force_login_and_login_with_a_request_still_work(client, member, rf):
    client.force_login(member.user)
    assert client.get("/").status_code == 200
    other = Client()
    request = rf.post(LOGIN)
    assert other.login(
        request=request, username=member.user.username, password="correct-horse-battery"
    )


@pytest.mark.parametrize(
    ("password", "complaint"),
    [
        ("short1!", "too short"),
        ("password123", "too common"),
        ("8275619043", "entirely numeric"),
    ],
)
def test_it_refuses_weak_passwords(member, password, complaint):
    with pytest.raises(ValidationError, match=complaint):
        validate_password(password, user=member.user)


def test_it_accepts_a_long_uncommon_password(member):
    validate_password("minute-book-ledger-42", user=member.user)


def test_the_change_password_page_shows_the_rule(client_for, member):
    client = client_for(member)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "password123",
            "new_password2": "password123",
        },
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()


def test_a_session_ends_after_inactivity(client_for, member, settings):
    client = client_for(member)
    assert client.get("/").status_code == 200
    # Each request pushes the expiry forward by SESSION_COOKIE_AGE...
    session = client.session
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    # ...so a session left alone past that age is gone.
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=session.session_key).update(
        expire_date=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    )
    # With several servers (REDIS_URL) sessions are cached_db: the cached copy expires at
    # the same moment, so it goes too.
    store = import_module(settings.SESSION_ENGINE).SessionStore(session.session_key)
    if hasattr(store, "cache_key"):
        store._cache.delete(store.cache_key)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_a_request_a_minute_later_moves_the_expiry_forward(client_for, member):
    from django.contrib.sessions.models import Session

    from security.middleware import SlidingSessionMiddleware

    client = client_for(member)
    client.get("/")
    key = client.session.session_key
    session = client.session
    session[SlidingSessionMiddleware.KEY] -= 61  # as if the last renewal were a minute ago
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    )
    client.get("/")
    assert Session.objects.get(session_key=key).expire_date > dt.datetime.now(
        dt.UTC
    ) + dt.timedelta(hours=1)


def test_requests_within_the_minute_write_no_session(client_for, member):
    from django.contrib.sessions.models import Session

    client = client_for(member)
    client.get("/")
    key = client.session.session_key
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date == soon


def test_it_resets_a_forgotten_password_by_email(client, member):
    response = client.post("/accounts/password_reset/", {"email": member.user.email})
    assert response.status_code == 302
    assert "Check your e-mail" in client.get(response.url).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.user.email]
    assert message.subject == "Reset your Minutebook password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session-held one
    page = client.get(form_url).content.decode()
    assert "Choose a new password" in page
    weak = client.post(form_url, {"new_password1": "password123", "new_password2": "password123"})
    assert "This password is too common." in weak.content.decode()
    new = "minute-book-ledger-42"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert "Your password is changed" in client.get(done.url).content.decode()
    assert _try(Client(), member.user.username, "minute-book-ledger-42").status_code == 302
    # A used link does not work twice.
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_it_does_not_say_whether_an_address_has_an_account(client, db):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_the_api_token_endpoint_is_paused_too(client, member, settings):
    """Guessing through /api/token/ counts like the sign-in form, so it is no way around."""
    name = member.user.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/token/", {"username": name, "password": "wrong-password-1"})
    response = client.post("/api/token/", {"username": name, "password": "correct-horse-battery"})
    assert response.status_code == 400
    assert "token" not in response.json()
    assert _try(client, name, "correct-horse-battery").status_code == 429


def _lock_out(client, name, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, name)
    assert _try(client, name, "correct-horse-battery").status_code == 429


def _later(minutes):
    """As if `minutes` had passed since every recorded failure."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=minutes))


def test_tries_during_a_lock_out_do_not_extend_it(client, member, settings):
    name = member.user.username
    _lock_out(client, name, settings)
    _later(14)
    assert _try(client, name).status_code == 429  # a guess a minute before the end...
    _later(2)
    # ...did not start the cool-off again: 16 minutes after the lock-out it is over.
    assert _try(client, name, "correct-horse-battery").status_code == 302


def test_one_wrong_password_after_the_cool_off_does_not_lock_again(client, member, settings):
    name = member.user.username
    _lock_out(client, name, settings)
    _later(16)
    assert _try(client, name).status_code == 200
    assert _try(client, name, "correct-horse-battery").status_code == 302


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.1"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(attacker, member.user.username)
    assert _try(attacker, member.user.username, "correct-horse-battery").status_code == 429
    # Whatever the attacker writes in front of the address our proxy saw changes nothing.
    for n in range(3):
        dodge = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9")
        assert _try(dodge, member.user.username, "correct-horse-battery").status_code == 429
    # The member, through the same proxy from their own address, is not locked out.
    at_home = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _try(at_home, member.user.username, "correct-horse-battery").status_code == 302


def test_with_no_trusted_proxy_a_forged_forwarded_for_changes_nothing(member, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    name = member.user.username
    for n in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), name)
    forged = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _try(forged, name, "correct-horse-battery").status_code == 429


def test_a_locked_out_member_can_reset_their_password_by_email_and_sign_in(
    client, member, settings
):
    name = member.user.username
    _lock_out(client, name, settings)
    response = client.post("/accounts/password_reset/", {"email": member.user.email})
    assert response.status_code == 302
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    new = "minute-book-ledger-42"
    assert client.post(form_url, {"new_password1": new, "new_password2": new}).status_code == 302
    # The new password works at once: the guesses at the old one no longer count.
    assert _try(client, name, new).status_code == 302
