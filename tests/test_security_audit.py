"""The audit trail: who changed what, before and after, including bulk changes."""

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.template import Context, Template
from simple_history.middleware import HistoryRequestMiddleware
from simple_history.utils import bulk_update_with_history

from actions.tests.factories import ActionFactory
from boards.tests.factories import PersonFactory
from meetings.models import AgendaItem, Decision
from meetings.tests.factories import AgendaItemFactory, DecisionFactory
from security.audit import history_of

pytestmark = pytest.mark.django_db


def _as(person, change, rf):
    """Run `change` inside a request by `person`, as a view would."""
    request = rf.post("/")
    request.user = person.user

    def view(request):
        change()
        return HttpResponse()

    HistoryRequestMiddleware(view)(request)


def test_it_records_who_changed_minutes_text_with_before_and_after(secretary, rf):
    item = AgendaItemFactory(minutes="The Board noted the report.")

    def edit():
        item.minutes = "The Board agreed the report."
        item.save()

    _as(secretary, edit, rf)
    latest, created = history_of(item)
    assert latest.who == "Sam Secretary"
    assert latest.kind == "changed"
    assert [(f.field, f.before, f.after) for f in latest.fields] == [
        ("Minutes", "The Board noted the report.", "The Board agreed the report.")
    ]
    assert created.kind == "created"


def test_an_orm_change_outside_a_request_names_who_when_told(chair):
    decision = DecisionFactory(kind=Decision.Kind.DEFERRED)
    decision.kind = Decision.Kind.AGREED
    decision._history_user = chair.user
    decision.save()
    change = history_of(decision)[0]
    assert change.who == "Chris Chair"
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("Kind", "Deferred", "Agreed")
    ]


def test_a_change_by_a_command_is_from_the_system():
    item = AgendaItemFactory()
    item.confidential = True
    item.save()
    change = history_of(item)[0]
    assert change.who == "the system"
    assert [(f.field, f.before, f.after) for f in change.fields] == [("Confidential", "No", "Yes")]


def test_bulk_changes_are_recorded_too(secretary):
    items = [AgendaItemFactory(title=f"Old {n}") for n in range(3)]
    for n, item in enumerate(items):
        item.title = f"New {n}"
    bulk_update_with_history(items, AgendaItem, ["title"], default_user=secretary.user)
    for n, item in enumerate(items):
        change = history_of(item)[0]
        assert change.who == "Sam Secretary"
        assert [(f.field, f.before, f.after) for f in change.fields] == [
            ("Title", f"Old {n}", f"New {n}")
        ]


def test_it_shows_action_owners_by_name(secretary):
    action = ActionFactory()
    gavin, sue = PersonFactory(name="Gavin Jones"), PersonFactory(name="Sue Wald")
    action._history_user = secretary.user
    action.owners.set([gavin])
    action.owners.add(sue)
    change = history_of(action)[0]
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("Owners", "Gavin Jones", "Gavin Jones, Sue Wald")
    ]


def test_the_history_partial_renders_the_trail(secretary, rf):
    item = AgendaItemFactory(title="Health & wellbeing")

    def edit():
        item.title = "Health and wellbeing"
        item.save()

    _as(secretary, edit, rf)
    html = Template("{% load audit %}{% history_panel item %}").render(Context({"item": item}))
    assert "<strong>Sam Secretary</strong> changed this" in html
    assert '<del class="text-danger-emphasis">Health &amp; wellbeing</del>' in html
    assert "Health and wellbeing</ins>" in html


def test_it_keeps_the_history_short_and_newest_first():
    item = AgendaItemFactory(title="v0")
    for n in range(1, 6):
        item.title = f"v{n}"
        item.save()
    changes = history_of(item, limit=3)
    assert [c.fields[0].after for c in changes] == ["v5", "v4", "v3"]


def test_the_admin_history_page_shows_who_and_what(client, secretary, rf):
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "x" * 12)
    item = AgendaItemFactory(title="Before")

    def edit():
        item.title = "After"
        item.save()

    _as(secretary, edit, rf)
    client.force_login(admin)
    page = client.get(f"/admin/meetings/agendaitem/{item.pk}/history/").content.decode()
    assert secretary.user.username in page
    assert "Before" in page
    assert "After" in page


def test_a_save_that_changes_nothing_visible_is_left_out():
    item = AgendaItemFactory(title="Same")
    item.save()
    item.title = "Different"
    item.save()
    assert [c.kind for c in history_of(item)] == ["changed", "created"]
