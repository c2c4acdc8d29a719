"""Nothing looks unfinished: error pages in the site's layout with a way back, a favicon,
an accessibility statement, and an About page true to the product."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _text(response):
    return response.content.decode()


def test_it_shows_a_missing_page_in_the_sites_layout_with_a_way_back(client_for, member):
    response = client_for(member).get("/meetings/999999/")
    assert response.status_code == 404
    page = _text(response)
    assert '<h1 class="h2">Page not found</h1>' in page
    assert 'aria-label="Main"' in page  # the site's navigation, signed in
    assert f'href="{reverse("home")}">Go to your boards</a>' in page


def test_it_explains_a_refusal_in_the_sites_layout(client_for, member, board):
    response = client_for(member).get(reverse("meetings:create", args=[board.slug]))
    assert response.status_code == 403
    page = _text(response)
    assert "You cannot do that here" in page and "Go to your boards" in page


def test_it_shows_a_server_error_in_the_sites_layout_without_a_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = _text(response)
    assert "Sorry, something went wrong" in page
    assert 'href="/">Go to your boards</a>' in page
    assert 'rel="icon"' in page


def test_it_explains_an_expired_form_with_a_way_back(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    response = client.post(
        "/accounts/reminders/", {"wants_digest": "True"}, HTTP_REFERER="http://testserver/about/"
    )
    assert response.status_code == 403
    page = _text(response)
    assert "The form could not be sent" in page and "Nothing was saved" in page
    assert 'href="http://testserver/about/">Go back to the page you came from</a>' in page
    assert 'aria-label="Main"' in page


def test_it_offers_no_way_back_to_another_site_after_an_expired_form(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    response = client.post("/accounts/reminders/", {}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    assert "evil.example" not in _text(response)


def test_every_page_names_a_favicon_that_is_served(client, settings):
    page = _text(client.get("/accounts/login/"))
    href = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    from django.contrib.staticfiles import finders

    assert finders.find(href.removeprefix(settings.STATIC_URL))


def test_the_footer_links_to_an_accessibility_statement_with_the_model_headings(client):
    assert 'href="/accessibility/">Accessibility statement</a>' in _text(client.get("/about/"))
    page = _text(client.get("/accessibility/"))
    for heading in (
        "Accessibility statement for Minutebook",
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "Compliance status",
        "Non-accessible content",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ):
        assert f">{heading}</h" in page, heading


def test_the_about_page_describes_the_reminder_settings_there_are(client):
    page = _text(client.get("/about/"))
    assert "how many days ahead you hear" not in page
    assert "set for each board" in page and "while it is overdue" in page


def test_a_wrong_password_is_summarised_at_the_top_of_the_form(client, member):
    response = client.post("/accounts/login/", {"username": member.user.username, "password": ""})
    page = _text(response)
    assert "There is a problem" in page
    assert (
        '<a class="alert-link" href="#id_password">Password: This field is required.</a>' in page
    )


def test_every_form_crispy_draws_starts_with_one_error_summary(client_for, secretary, board):
    """A form drawn with |crispy (the set-up screens, say) opens its error state with the
    summary linking each field; a page that shows the summary itself shows it once."""
    from actions.tests.factories import ActionFactory
    from meetings.tests.factories import AgendaItemFactory, MeetingFactory

    client = client_for(secretary)
    page = _text(client.post(reverse("boards:person_new", args=[board.slug]), {"name": ""}))
    assert page.count("There is a problem") == 1
    assert re.search(r'<a class="alert-link" href="#id_name">[^<]*This field is required', page)

    item = AgendaItemFactory(meeting=MeetingFactory(board=board))
    action = ActionFactory(item=item, owners=[secretary])
    page = _text(client.post(reverse("actions:add_update", args=[action.pk]), {}))
    assert page.count("There is a problem") == 1


def test_the_password_rules_under_a_new_password_have_no_empty_bullet(client_for, member):
    page = _text(client_for(member).get(reverse("password_change")))
    assert "<li></li>" not in page
    assert "A new password ends any API tokens you have." in page
