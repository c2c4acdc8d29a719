"""Rate limits on pages outside the API: password reset requests and the calendar feeds.

The counting is DRF's, as for the API's own throttles: a history of recent requests kept
in the cache (Redis when REDIS_URL is set, so every process shares it), per client address
(NUM_PROXIES, from TRUSTED_PROXY_COUNT, decides which address).
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.template.response import TemplateResponse
from rest_framework.throttling import SimpleRateThrottle


class PageThrottle(SimpleRateThrottle):
    """Counts one page's requests per client address, at the rate a setting names."""

    def __init__(self, *, scope: str, rate_setting: str):
        self.scope = scope
        self.rate_setting = rate_setting
        super().__init__()

    def get_rate(self):
        # Read at each request, not at import as DRF's class attribute is.
        return getattr(settings, self.rate_setting)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident(request)}

    def ident(self, request) -> str:
        return self.get_ident(request)


class PerAddressThrottle(PageThrottle):
    """Counts password reset requests per e-mail address: no inbox can be flooded."""

    def ident(self, request) -> str:
        return request.POST.get("email", "").strip().lower()


@dataclass(frozen=True)
class Limit:
    methods: frozenset
    throttles: tuple
    page: bool  # answer with a page (a person at a browser) rather than plain text


LIMITS = {
    "password_reset": Limit(
        methods=frozenset({"POST"}),
        throttles=(
            (PageThrottle, "password_reset", "PASSWORD_RESET_RATE"),
            (PerAddressThrottle, "password_reset_address", "PASSWORD_RESET_RATE"),
        ),
        page=True,
    ),
    "actions:person_feed": Limit(
        methods=frozenset({"GET", "HEAD"}),
        throttles=((PageThrottle, "calendar_feed", "CALENDAR_FEED_RATE"),),
        page=False,
    ),
    "actions:board_feed": Limit(
        methods=frozenset({"GET", "HEAD"}),
        throttles=((PageThrottle, "calendar_feed", "CALENDAR_FEED_RATE"),),
        page=False,
    ),
}


def refusal(request) -> HttpResponse | None:
    """A 429 answer when this request is over one of its page's limits, else None."""
    match = request.resolver_match
    limit = LIMITS.get(match.view_name if match else "")
    if limit is None or request.method not in limit.methods:
        return None
    for throttle_class, scope, rate_setting in limit.throttles:
        throttle = throttle_class(scope=scope, rate_setting=rate_setting)
        if not throttle.allow_request(request, None):
            minutes = max(1, math.ceil((throttle.wait() or 60) / 60))
            message = (
                f"Too many requests: please wait {minutes} minute{'s' if minutes > 1 else ''} "
                "and try again."
            )
            if limit.page:
                response = TemplateResponse(
                    request, "security/too_many_requests.html", {"message": message}, status=429
                )
            else:
                response = HttpResponse(
                    message, status=429, content_type="text/plain; charset=utf-8"
                )
            response["Retry-After"] = str(minutes * 60)
            return response
    return None
