"""Fixtures shared by every app's tests: a board with people in each role."""

import uuid

import pytest

from boards.models import Membership
from boards.tests.factories import BoardFactory, MembershipFactory, PersonFactory


@pytest.fixture(autouse=True)
def _tasks_inline_unless_marked_celery(request):
    """Tests run tasks inline; only @pytest.mark.celery tests talk to real workers."""
    from config.celery import app

    app.set_current()
    eager = app.conf.task_always_eager  # reading it loads the configuration first
    if request.node.get_closest_marker("celery") is None:
        app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    # Rate-limit counts live in the cache: each test starts with none, and never touches
    # a shared Redis (whose database Celery's broker may be using).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing takes about a second per sign-in; tests check behaviour, not key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def board(db):
    return BoardFactory(name="One Swindon Board", slug="one-swindon-board")


@pytest.fixture
def other_board(db):
    return BoardFactory(name="Somewhere Else Board", slug="somewhere-else")


def _person_with_role(board, role, **kwargs):
    person = PersonFactory(**kwargs)
    MembershipFactory(person=person, board=board, role=role)
    return person


@pytest.fixture
def secretary(board):
    return _person_with_role(board, Membership.Role.SECRETARY, name="Sam Secretary")


@pytest.fixture
def chair(board):
    return _person_with_role(board, Membership.Role.CHAIR, name="Chris Chair")


@pytest.fixture
def member(board):
    return _person_with_role(board, Membership.Role.MEMBER, name="Mo Member")


@pytest.fixture
def observer(board):
    return _person_with_role(board, Membership.Role.OBSERVER, name="Olu Observer")


@pytest.fixture
def outsider(other_board):
    return _person_with_role(other_board, Membership.Role.MEMBER, name="Ola Outsider")


@pytest.fixture
def client_for(client):
    """client_for(person) -> a test client signed in as that person."""

    def sign_in(person):
        client.force_login(person.user)
        return client

    return sign_in


# --- Browser tests: Playwright driving Debian's Chromium (never a downloaded browser) ---

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop; Django must allow ORM calls beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page, live_server):
    """sign_in(person) signs the browser in through the real login form."""

    def _sign_in(person, password="correct-horse-battery"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(person.user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _sign_in


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core in the page, loaded from the app's own static files as any script
    is under the Content-Security-Policy users have; return serious+ violations."""
    from urllib.parse import urljoin

    from django.templatetags.static import static

    page.add_script_tag(url=urljoin(page.url, static("vendor/axe-core/axe.min.js")))
    # A button just clicked may be mid-way through Bootstrap's colour transition, its
    # contrast neither colour's: the page as it settles is the one judged.
    # (An endless one, a spinner, cannot be finished: it is left as it is.)
    page.evaluate(
        "() => document.getAnimations().forEach((a) => { try { a.finish(); } catch (e) {} })"
    )
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]
