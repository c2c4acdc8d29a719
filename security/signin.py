"""The client address that lock-out and rate limits count against."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address our outermost proxy saw.

    Each proxy of ours appends the address it received from, so the client's address is the
    TRUSTED_PROXY_COUNT-th entry from the right of X-Forwarded-For; anything left of it is
    whatever the client chose to send. The same rule as DRF's NUM_PROXIES.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if count and hops:
        return hops[-min(count, len(hops))]
    return request.META.get("REMOTE_ADDR", "")
