"""The site's URLs plus the bench's trivial page, for the gunicorn the load runs against
(`bench.wsgi`): the product's own URL configuration never carries it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

FRAME = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Bench{% endblock %}'
)


@login_required
def frame(request):
    """The frame and nothing beyond it: session, sign-in, middleware and the layout, but
    no board data and no navigation count (the count is work of the pages that show it)."""
    return HttpResponse(FRAME.render({"nav_actions_count": 0}, request))


urlpatterns = [
    path("bench/frame/", frame, name="bench_frame"),
    path("", include("config.urls")),
]
