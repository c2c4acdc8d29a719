"""Security headers on every page, and templates that a strict CSP will not break."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# An opening <script> tag followed by anything but whitespace before </script>.
INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(?P<body>.*?)</script>", re.I | re.S)
# onclick=, onload=, ... and htmx's hx-on (evaluated as code, which the CSP forbids).
HANDLER = re.compile(r"""<[^>]*?\s(?P<attr>on[a-z]+|hx-on[:\w-]*|data-hx-on[:\w-]*)\s*=""", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_it_sends_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-inline" not in policy["style-src"]
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_it_sends_the_policy_on_signed_in_pages_too(client_for, board, member):
    response = client_for(member).get(board.get_absolute_url())
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_htmx_is_told_not_to_inject_inline_styles(client):
    page = client.get("/accounts/login/").content.decode()
    assert '"includeIndicatorStyles": false' in page
    assert "security/htmx.css" in page


def test_no_template_has_an_inline_script():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)[:80]!r}"
        for path in _templates()
        for match in INLINE_SCRIPT.finditer(path.read_text())
        if match.group("body").strip()
    ]
    assert offenders == [], "Move these scripts to static/js/ (the CSP blocks them)"


def test_no_template_has_an_inline_event_handler():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group('attr')}"
        for path in _templates()
        for match in HANDLER.finditer(path.read_text())
    ]
    offenders += [
        f"{path.relative_to(TEMPLATES)}: javascript: URL"
        for path in _templates()
        if JS_URL.search(path.read_text())
    ]
    assert offenders == [], "Inline handlers are blocked by the CSP: use static/js/"


def test_the_checks_find_what_they_look_for():
    """The patterns above must catch the usual shapes, or the two tests prove nothing."""
    assert INLINE_SCRIPT.search("<script>alert(1)</script>").group("body")
    assert not INLINE_SCRIPT.search('<script src="/x.js"></script>').group("body").strip()
    assert HANDLER.search('<button type="button" onclick="go()">')
    assert HANDLER.search('<form hx-on::after-request="this.reset()">')
    assert not HANDLER.search('<a class="none" data-bs-toggle="x" hx-get="/a">')
    assert JS_URL.search('<a href="javascript:void(0)">')


def test_production_settings_turn_on_secure_cookies_and_hsts():
    """DEBUG off: the values check --deploy also looks at (tests/test_settings.py runs it)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    env.update(DEBUG="false", SECRET_KEY="x" * 60, DJANGO_SETTINGS_MODULE="config.settings")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "DENY"], result.stderr
