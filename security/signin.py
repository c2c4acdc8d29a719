"""The client address django-axes counts failed sign-ins against."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address our own proxy appended to X-Forwarded-For.

    Only the last entry is trusted: earlier ones are whatever the client chose to send.
    """
    if settings.MINUTEBOOK_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")
