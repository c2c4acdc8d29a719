"""API tokens (django-rest-knox): issued only past two-factor, listed and revoked by their owner.

Knox keeps only a hash of each token and its expiry (settings.API_TOKEN_DAYS), so a token
is shown once, at issue, and a stolen database gives no working token.
"""

from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from . import twofactor


class TokenRefused(Exception):
    """A token cannot be issued yet; the message says what the person must do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def tokens_of(user):
    """The person's tokens still in force, newest first."""
    return AuthToken.objects.filter(user_id=user.pk, expiry__gt=timezone.now()).order_by(
        "-created"
    )


def check_second_factor(*, user, code: str) -> None:
    """A person with an authenticator, or whose role needs one, proves a current code."""
    device = twofactor.confirmed_device(user)
    if device is None:
        if twofactor.must_use_two_factor(user):
            raise TokenRefused(
                "Your role needs two-factor sign-in: set it up in Minutebook "
                "(Account, Two-factor sign-in) before asking for an API token."
            )
        return
    code = (code or "").replace(" ", "")
    if not code:
        raise TokenRefused(
            "This account uses two-factor sign-in: send the 6-digit code from your "
            'authenticator app as "code".'
        )
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise TokenRefused("Too many wrong codes: wait a minute, then send the newest code.")
    if not device.verify_token(code):
        raise TokenRefused("That code is not right, or was already used.")


@transaction.atomic
def issue_token(*, user) -> tuple[AuthToken, str]:
    """A new token for a person who has passed every sign-in step; the key is returned once."""
    return AuthToken.objects.create(user=user)


@transaction.atomic
def revoke_token(*, user, digest: str) -> bool:
    """A person may revoke only their own tokens."""
    deleted, _ = AuthToken.objects.filter(user_id=user.pk, digest=digest).delete()
    return bool(deleted)


@transaction.atomic
def revoke_all_tokens(*, user) -> int:
    """Every token of the person stops working (password changed or reset)."""
    deleted, _ = AuthToken.objects.filter(user_id=user.pk).delete()
    return deleted
