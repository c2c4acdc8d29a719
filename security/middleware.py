"""With MINUTEBOOK_REQUIRE_2FA on, secretaries, chairs and staff prove a second factor first."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from . import ratelimit, twofactor


class RequireTwoFactorMiddleware:
    """Sends an unverified secretary/chair/staff session to two-factor set-up (or proof)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MINUTEBOOK_REQUIRE_2FA and self._must_verify(request):
            target = reverse("security:two_factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _must_verify(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return False
        if self._is_exempt(request.path_info):
            return False
        return twofactor.must_use_two_factor(user)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        # The set-up page itself, signing out, static files and the health check.
        exempt = (
            reverse("security:two_factor"),
            reverse("logout"),
            settings.STATIC_URL,
            "/healthz",
        )
        return path.startswith(exempt)


class SlidingSessionMiddleware:
    """A signed-in session lasts SESSION_COOKIE_AGE from the last request, as Django's
    SESSION_SAVE_EVERY_REQUEST would make it, but its expiry is written at most once a
    minute: saving on every request costs every page a database write."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # marks the session modified: saved, expiry renewed
        return response


class RateLimitMiddleware:
    """Answers 429 to requests over the limits security.ratelimit sets for some pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        return ratelimit.refusal(request)
