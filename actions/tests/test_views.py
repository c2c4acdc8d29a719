import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate
from actions.services import record_action
from actions.tests.factories import ActionFactory, ActionUpdateFactory
from boards.models import Membership
from boards.tests.factories import BoardFactory, MembershipFactory, PersonFactory
from meetings.models import AgendaItem
from meetings.tests.factories import AgendaItemFactory, MeetingFactory
from meetings.tests.test_views import HTMX, _edit, _meeting_with_items


def _text(response):
    return response.content.decode()


# --- My actions -------------------------------------------------------------------------


def test_it_groups_my_actions_by_when_they_are_due(
    client_for, item, member, secretary, next_meeting, days, decision
):
    ActionFactory(item=item, owners=[member], text="Overdue thing", due_on=days(-2))
    ActionFactory(
        item=item, owners=[member, secretary], text="Soon thing", due_on=days(3), decision=decision
    )
    ActionFactory(item=item, owners=[member], text="Later thing", due_on=days(30))
    ActionFactory(item=item, whole_board=True, text="Everyone's thing", due_on=None)
    done = ActionFactory(item=item, owners=[member], text="Finished thing")
    done.set_status(Action.Status.DONE)
    done.save()
    ActionFactory(item=item, owners=[secretary], text="Not mine")

    response = client_for(member).get(reverse("actions:mine"))
    groups = {g.slug: [a.text for a in g.rows] for g in response.context["mine"].groups}
    assert groups == {
        "overdue": ["Overdue thing"],
        "due-soon": ["Soon thing"],
        "later": ["Later thing"],
        "next-meeting": ["Everyone's thing"],
        "done": ["Finished thing"],
    }
    page = _text(response)
    assert "Not mine" not in page
    assert "With Sam Secretary" in page  # co-owner
    assert "decision (1)" in page
    assert f"By next meeting, {next_meeting.starts_at:%a} " in page
    assert "item 4 Data sharing protocol" in page


def test_it_counts_overdue_and_due_soon_in_the_navigation(client_for, item, member, days):
    ActionFactory(item=item, owners=[member], due_on=days(-2))
    ActionFactory(item=item, owners=[member], due_on=days(5))
    ActionFactory(item=item, owners=[member], due_on=days(50))
    response = client_for(member).get(reverse("home"))
    assert 'My actions <span class="badge rounded-pill text-bg-warning">2<' in _text(response)


def test_it_counts_a_missed_next_meeting_as_overdue(client_for, board, item, member, days):
    MeetingFactory(board=board, starts_at=timezone.now() - timezone.timedelta(days=5))
    ActionFactory(item=item, owners=[member], due_on=None, text="Missed it")
    response = client_for(member).get(reverse("actions:mine"))
    assert [a.text for a in response.context["mine"].overdue] == ["Missed it"]
    assert '>1<span class="visually-hidden"> overdue' in _text(response)


def test_it_asks_for_a_log_in(client):
    response = client.get(reverse("actions:mine"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- Action page and its permission rules -----------------------------------------------


def test_it_shows_an_actions_source_and_history(client_for, action, member, next_meeting):
    ActionUpdateFactory(action=action, by=member, text="Met the leads", meeting=next_meeting)
    response = client_for(member).get(action.get_absolute_url())
    page = _text(response)
    assert response.status_code == 200
    assert "Scope the data sharing review" in page
    assert "One Swindon Board" in page
    assert "Data sharing protocol" in page
    assert "The Board received a report." in page  # minutes extract
    assert "Met the leads" in page
    assert f'reported at the <a href="{next_meeting.get_absolute_url()}">' in page


def test_it_hides_an_action_from_people_not_on_the_board(client_for, action, outsider):
    assert client_for(outsider).get(action.get_absolute_url()).status_code == 404


def test_it_hides_a_confidential_items_action_from_an_observer(client_for, past_meeting, observer):
    secret = ActionFactory(item=AgendaItemFactory(meeting=past_meeting, confidential=True))
    assert client_for(observer).get(secret.get_absolute_url()).status_code == 403


def test_it_lets_an_owner_close_with_a_note(client_for, action, member):
    response = client_for(member).post(
        reverse("actions:close", args=[action.pk]), {"outcome": "done", "note": "Review done"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.updates.get().text == "Review done"


def test_it_keeps_what_was_typed_when_the_note_is_missing(client_for, action, member):
    response = client_for(member).post(
        reverse("actions:close", args=[action.pk]), {"outcome": "dropped", "note": ""}
    )
    assert response.status_code == 200
    assert "This field is required" in _text(response)
    assert re.search(r'<input[^>]*value="dropped"[^>]*checked', _text(response))
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_it_says_why_a_non_owner_cannot_update(client_for, action, board):
    other = PersonFactory()
    MembershipFactory(person=other, board=board)
    response = client_for(other).post(
        reverse("actions:add_update", args=[action.pk]), {"text": "Progress!"}
    )
    assert response.status_code == 403
    page = _text(response)
    assert "Only the action&#x27;s owners and the secretary or chair" in page
    assert action.updates.count() == 0


def test_it_lets_the_secretary_update_someone_elses_action(client_for, action, secretary):
    response = client_for(secretary).post(
        reverse("actions:add_update", args=[action.pk]), {"text": "Chased by e-mail"}
    )
    assert response.status_code == 302
    assert action.updates.get().by == secretary


def test_it_refuses_an_owner_changing_the_due_date(client_for, action, member, days):
    response = client_for(member).post(
        reverse("actions:edit", args=[action.pk]),
        {"text": action.text, "owners": [member.pk], "due_kind": "date", "due_on": days(99)},
    )
    assert response.status_code == 403
    assert "Only the secretary or the chair" in _text(response)
    action.refresh_from_db()
    assert action.due_on != days(99)


def test_it_lets_the_chair_change_owners_and_due(client_for, action, chair, secretary):
    response = client_for(chair).post(
        reverse("actions:edit", args=[action.pk]),
        {"text": action.text, "owners": [secretary.pk], "due_kind": "next_meeting"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert list(action.owners.all()) == [secretary]
    assert action.due_on is None
    assert action.updates.get().kind == ActionUpdate.Kind.EDITED


def test_it_shows_no_edit_form_to_an_owner(client_for, action, member):
    page = _text(client_for(member).get(action.get_absolute_url()))
    assert "Change text, owners or due date" not in page
    assert "Add an update" in page


def test_it_lets_an_owner_reopen(client_for, action, member):
    action.set_status(Action.Status.DONE)
    action.save()
    response = client_for(member).post(
        reverse("actions:reopen", args=[action.pk]), {"note": "Not finished"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


# --- Board action log -------------------------------------------------------------------


@pytest.fixture
def log_actions(board, item, member, secretary, days):
    org_action = ActionFactory(
        item=item, owners=[member], text="Member's overdue", due_on=days(-1)
    )
    ActionFactory(item=item, owners=[secretary], text="Secretary's later", due_on=days(40))
    done = ActionFactory(item=item, owners=[secretary], text="Secretary's done")
    done.set_status(Action.Status.DONE)
    done.save()
    ActionFactory(item=item, whole_board=True, text="Everyone's")
    return org_action


def _log(client, board, **params):
    return client.get(reverse("actions:log", args=[board.slug]), params)


def test_it_filters_the_log(client_for, board, member, secretary, log_actions):
    client = client_for(member)
    texts = lambda r: [a.text for a in r.context["page"]]  # noqa: E731
    assert len(texts(_log(client, board))) == 4
    assert texts(_log(client, board, status="done")) == ["Secretary's done"]
    assert sorted(texts(_log(client, board, owner=member.pk))) == [
        "Everyone's",
        "Member's overdue",
    ]
    assert texts(_log(client, board, organisation=member.organisation.pk)) == ["Member's overdue"]
    assert texts(_log(client, board, overdue="on")) == ["Member's overdue"]
    assert texts(_log(client, board, sort="-due"))[0] in {"Everyone's", "Secretary's later"}


def test_it_sorts_the_log_by_due_date(client_for, board, member, log_actions):
    rows = [
        a.text for a in _log(client_for(member), board, sort="due", status="open").context["page"]
    ]
    assert rows.index("Member's overdue") < rows.index("Secretary's later")


@pytest.fixture
def two_meetings_actions(board, item, member):
    """An action at the item's meeting and one at a meeting sixty days later."""
    ActionFactory(item=item, owners=[member], text="From the older meeting")
    newer = MeetingFactory(board=board, starts_at=item.meeting.starts_at + dt.timedelta(days=60))
    ActionFactory(item=AgendaItemFactory(meeting=newer), owners=[member], text="From the newer")


def _texts(response):
    return [a.text for a in response.context["page"]]


def test_the_log_opens_at_the_latest_meeting(client_for, board, member, two_meetings_actions):
    client = client_for(member)
    assert _texts(_log(client, board)) == ["From the newer", "From the older meeting"]
    assert _texts(_log(client, board, sort="meeting")) == [
        "From the older meeting",
        "From the newer",
    ]


def test_it_filters_the_log_by_meeting(client_for, board, item, member, two_meetings_actions):
    client = client_for(member)
    response = _log(client, board, meeting=item.meeting.pk)
    assert _texts(response) == ["From the older meeting"]
    label = f"{timezone.localtime(item.meeting.starts_at):%-d %B %Y}"
    assert f'<option value="{item.meeting.pk}" selected>{label}</option>' in _text(response)
    assert _log(client, board, meeting="99999999").status_code == 200


def test_the_meeting_filter_offers_the_latest_meetings_and_still_takes_an_older_one(
    client_for, board, member
):
    from actions.filters import OFFERED_MEETINGS

    start = timezone.now() - dt.timedelta(days=30 * (OFFERED_MEETINGS + 6))
    meetings = [
        MeetingFactory(board=board, starts_at=start + dt.timedelta(days=30 * n))
        for n in range(OFFERED_MEETINGS + 6)
    ]
    oldest = meetings[0]
    ActionFactory(item=AgendaItemFactory(meeting=oldest), text="From the first meeting")
    client = client_for(member)

    page = _text(_log(client, board))
    options = re.findall(
        r'<option value="(\d+)"', page.split('name="meeting"')[1].split("</select>")[0]
    )
    assert options == [str(m.pk) for m in reversed(meetings[-OFFERED_MEETINGS:])]

    response = _log(client, board, meeting=oldest.pk)
    assert _texts(response) == ["From the first meeting"]
    label = f"{timezone.localtime(oldest.starts_at):%-d %B %Y}"
    assert f'<option value="{oldest.pk}" selected>{label}</option>' in _text(response)


def test_a_chosen_owner_with_only_closed_actions_stays_chosen(client_for, board, item, member):
    officer = PersonFactory(name="Olu Former Officer")
    done = ActionFactory(item=item, owners=[officer], text="Sent the accounts")
    done.set_status(Action.Status.DONE)
    done.save()
    client = client_for(member)
    owners = _text(_log(client, board)).split('name="owner"')[1].split("</select>")[0]
    assert "Olu Former Officer" not in owners  # no open action and no seat: not offered

    response = _log(client, board, owner=officer.pk, status="done")
    assert _texts(response) == ["Sent the accounts"]
    assert f'<option value="{officer.pk}" selected>Olu Former Officer</option>' in _text(response)


def test_the_owner_filter_offers_members_and_officers_who_own_actions(
    client_for, board, item, member, secretary
):
    officer = PersonFactory(name="Officer Not On The Board")
    ActionFactory(item=item, owners=[officer], text="Officer's report")
    stranger = PersonFactory(name="Somebody Elsewhere")
    response = _log(client_for(member), board)
    offered = {int(pk) for pk, _ in response.context["filter"].form.fields["owner"].choices if pk}
    assert {officer.pk, member.pk, secretary.pk} <= offered
    assert stranger.pk not in offered
    texts = [a.text for a in _log(client_for(member), board, owner=officer.pk).context["page"]]
    assert texts == ["Officer's report"]


def test_the_log_links_a_few_pages_either_side_not_every_page(client_for, board, item, member):
    Action.objects.bulk_create(
        Action(item=item, board=board, text=f"Action {n}") for n in range(30 * 25)
    )
    html = _text(_log(client_for(member), board, page=15))
    assert "page 15 of 30" in html
    for shown in (1, 2, 12, 15, 18, 29, 30):
        assert f'page={shown}"' in html
    assert 'page=7"' not in html and 'page=24"' not in html
    assert "…" in html


def test_it_paginates_the_log(client_for, board, item, member):
    for _ in range(30):
        ActionFactory(item=item, owners=[member])
    response = _log(client_for(member), board, page=2)
    assert len(response.context["page"].object_list) == 5
    assert "page 2 of 2" in _text(response)


def test_it_exports_the_filtered_log_as_csv(client_for, board, member, log_actions):
    response = client_for(member).get(
        reverse("actions:log_export", args=[board.slug, "csv"]), {"status": "open"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming  # read a chunk at a time, never held whole
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # the BOM Excel needs for £ and names
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert sorted(r["Action"] for r in rows) == [
        "Everyone's",
        "Member's overdue",
        "Secretary's later",
    ]
    everyone = next(r for r in rows if r["Action"] == "Everyone's")
    assert everyone["Owners"] == "ALL"


def test_it_exports_the_log_as_xlsx(client_for, board, member, log_actions):
    response = client_for(member).get(
        reverse("actions:log_export", args=[board.slug, "xlsx"]), {"overdue": "on"}
    )
    # built (inline, with no worker) and served from storage
    body = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    values = list(sheet.values)
    assert values[0][:3] == ("Meeting", "Item", "Action")
    assert [row[2] for row in values[1:]] == ["Member's overdue"]


def test_it_hides_the_log_from_outsiders(client_for, board, outsider):
    assert _log(client_for(outsider), board).status_code == 404
    url = reverse("actions:log_export", args=[board.slug, "csv"])
    assert client_for(outsider).get(url).status_code == 404


def test_it_leaves_confidential_actions_out_of_an_observers_log(
    client_for, board, past_meeting, observer, log_actions
):
    ActionFactory(item=AgendaItemFactory(meeting=past_meeting, confidential=True), text="Secret")
    texts = [a.text for a in _log(client_for(observer), board).context["page"]]
    assert "Secret" not in texts
    assert len(texts) == 4


def test_the_log_counts_what_each_reader_may_see(
    client_for, board, past_meeting, observer, member, log_actions
):
    ActionFactory(item=AgendaItemFactory(meeting=past_meeting, confidential=True), text="Secret")
    ActionFactory(item=AgendaItemFactory(meeting=MeetingFactory()), text="Another board's")
    count = lambda r: r.context["page"].paginator.count  # noqa: E731
    assert count(_log(client_for(observer), board)) == 4
    assert "4 actions" in _text(_log(client_for(observer), board))
    assert count(_log(client_for(member), board)) == 5
    assert count(_log(client_for(member), board, status="open")) == 4
    assert count(_log(client_for(member), board, sort="-due")) == 5


# --- People who have left ---------------------------------------------------------------


@pytest.fixture
def leaver(board, item, days):
    person = PersonFactory(name="Alison Chamberlain", left_on=days(-10))
    MembershipFactory(person=person, board=board, ended_on=days(-10))
    ActionFactory(item=item, owners=[person], text="Local supply chain workshop")
    ActionFactory(item=item, owners=[person], text="Procurement leads")
    return person


def test_it_lists_leavers_open_actions_for_the_secretary(client_for, board, secretary, leaver):
    response = client_for(secretary).get(reverse("actions:leavers", args=[board.slug]))
    page = _text(response)
    assert "Alison Chamberlain" in page
    assert "Local supply chain workshop" in page and "Procurement leads" in page


def test_it_reassigns_a_leavers_actions_in_one_step(client_for, board, secretary, member, leaver):
    actions = list(Action.objects.filter(owners=leaver))
    response = client_for(secretary).post(
        reverse("actions:leavers", args=[board.slug]),
        {"leaver": leaver.pk, "to": member.pk, "actions": [a.pk for a in actions]},
    )
    assert response.status_code == 302
    for action in actions:
        assert list(action.owners.all()) == [member]
        assert "Reassigned from Alison Chamberlain" in action.updates.get().text


def test_it_keeps_the_choice_when_no_one_is_chosen(client_for, board, secretary, leaver):
    response = client_for(secretary).post(
        reverse("actions:leavers", args=[board.slug]), {"leaver": leaver.pk, "to": ""}
    )
    assert response.status_code == 200
    assert "This field is required" in _text(response)


def test_it_forbids_members_the_leavers_page(client_for, board, member, outsider):
    url = reverse("actions:leavers", args=[board.slug])
    assert client_for(member).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404


# --- Fragments for the meeting screen ---------------------------------------------------


def test_it_records_an_action_through_the_item_fragment(
    client_for, item, decision, secretary, member, days
):
    response = client_for(secretary).post(
        reverse("actions:item_actions", args=[item.pk]),
        {
            "text": "Report back on the review",
            "owners": [member.pk],
            "due_kind": "date",
            "due_on": days(14).isoformat(),
            "decision": decision.pk,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = _text(response)
    assert page.lstrip().startswith('<div class="item-actions"')  # the fragment, not a page
    assert "Report back on the review" in page
    action = Action.objects.get(text="Report back on the review")
    assert (action.due_on, action.decision) == (days(14), decision)


def test_it_records_an_all_members_action_by_next_meeting(client_for, item, secretary):
    client_for(secretary).post(
        reverse("actions:item_actions", args=[item.pk]),
        {"text": "Everyone reads it", "owners": ["all"], "due_kind": "next_meeting"},
        HTTP_HX_REQUEST="true",
    )
    action = Action.objects.get(text="Everyone reads it")
    assert action.whole_board and action.due_on is None


def test_it_keeps_the_typed_action_when_the_owner_is_missing(client_for, item, secretary):
    response = client_for(secretary).post(
        reverse("actions:item_actions", args=[item.pk]),
        {"text": "Half typed action", "due_kind": "date"},
        HTTP_HX_REQUEST="true",
    )
    page = _text(response)
    assert "Half typed action" in page
    assert "This field is required" in page
    assert "Give the due date" in page
    assert not Action.objects.exists()


def test_it_shows_members_the_item_actions_without_the_form(client_for, action, member):
    response = client_for(member).get(
        reverse("actions:item_actions", args=[action.item.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Scope the data sharing review" in _text(response)
    assert "Record action" not in _text(response)


def test_it_forbids_members_posting_to_the_item_fragment(client_for, item, member):
    response = client_for(member).post(
        reverse("actions:item_actions", args=[item.pk]),
        {"text": "x", "owners": [member.pk], "due_kind": "next_meeting"},
    )
    assert response.status_code == 403


def test_it_lists_matters_arising_from_earlier_meetings(client_for, action, member, next_meeting):
    later = ActionFactory(item=AgendaItemFactory(meeting=next_meeting), text="Later meeting's")
    response = client_for(member).get(
        reverse("actions:matters_arising", args=[next_meeting.pk]), HTTP_HX_REQUEST="true"
    )
    page = _text(response)
    assert "Scope the data sharing review" in page
    assert later.text not in page


def test_it_records_an_update_at_the_meeting(client_for, action, secretary, next_meeting):
    response = client_for(secretary).post(
        reverse("actions:matters_arising", args=[next_meeting.pk]),
        {"action": action.pk, "op": "update", "text": "Workshop on 7 April"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    update = action.updates.get()
    assert (update.text, update.meeting) == ("Workshop on 7 April", next_meeting)


def test_it_closes_an_action_under_matters_arising(client_for, action, secretary, next_meeting):
    response = client_for(secretary).post(
        reverse("actions:matters_arising", args=[next_meeting.pk]),
        {"action": action.pk, "op": "done", "text": "Done"},
        HTTP_HX_REQUEST="true",
    )
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert "Scope the data sharing review" not in _text(response)


def test_it_keeps_the_matters_arising_text_on_error(client_for, action, secretary, next_meeting):
    response = client_for(secretary).post(
        reverse("actions:matters_arising", args=[next_meeting.pk]),
        {"action": action.pk, "op": "update", "text": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Write the update or closing note" in _text(response)
    assert action.updates.count() == 0


@pytest.mark.parametrize("earlier", [2, 40])
def test_matters_arising_come_a_page_at_a_time_latest_meeting_first(
    client_for, board, secretary, next_meeting, earlier, django_assert_max_num_queries
):
    """However many open actions a board keeps, the panel sends one page of them."""
    for n in range(earlier):
        meeting = MeetingFactory(board=board, starts_at=timezone.now() - dt.timedelta(days=n + 1))
        ActionFactory(item=AgendaItemFactory(meeting=meeting), text=f"Open action {n} days back")
    url = reverse("actions:matters_arising", args=[next_meeting.pk])
    client = client_for(secretary)
    with django_assert_max_num_queries(20):
        first = _text(client.get(url, HTTP_HX_REQUEST="true"))
    shown = re.findall(r"Open action (\d+) days back", first)
    assert shown == [str(n) for n in range(min(earlier, 25))]  # the latest meeting first
    if earlier > 25:
        assert f"1–25 of {earlier}" in first
        second = _text(client.get(url, {"page": 2}, HTTP_HX_REQUEST="true"))
        assert re.findall(r"Open action (\d+) days back", second)[0] == "25"
        # Recording an update on page 2 redraws page 2.
        action = Action.objects.get(text="Open action 30 days back")
        after = client.post(
            url,
            {"action": action.pk, "op": "update", "text": "Chased", "page": 2},
            HTTP_HX_REQUEST="true",
        )
        assert "Open action 30 days back" in _text(after)
    else:
        assert "Matters arising pages" not in first  # one page: no pager


def test_it_hides_matters_arising_from_outsiders(client_for, next_meeting, outsider):
    url = reverse("actions:matters_arising", args=[next_meeting.pk])
    assert client_for(outsider).get(url).status_code == 404


# --- Calendar links ---------------------------------------------------------------------


def test_it_makes_a_new_calendar_link_and_revokes_the_old(client, client_for, member):
    old = reverse("actions:person_feed", args=[member.calendar_token])
    assert client.get(old).status_code == 200
    response = client_for(member).post(reverse("actions:new_calendar_link"))
    assert response.status_code == 302
    member.refresh_from_db()
    client.logout()
    assert client.get(old).status_code == 404
    assert (
        client.get(reverse("actions:person_feed", args=[member.calendar_token])).status_code == 200
    )


def test_it_sorts_the_log_from_its_column_headers(client_for, board, member, log_actions):
    page = _text(_log(client_for(member), board, sort="due", status="open"))
    assert 'aria-sort="ascending"' in page
    assert 'href="?sort=-due&amp;status=open"' in page


def test_it_sorts_by_next_meeting_actions_at_that_meetings_date(
    client_for, board, item, member, next_meeting, days
):
    ActionFactory(item=item, owners=[member], text="Thirty days", due_on=days(30))
    ActionFactory(item=item, owners=[member], text="Next meeting", due_on=None)
    ActionFactory(item=item, owners=[member], text="Ten days", due_on=days(10))
    rows = [a.text for a in _log(client_for(member), board, sort="due").context["page"]]
    assert rows == ["Ten days", "Next meeting", "Thirty days"]


def test_it_tells_the_meeting_screen_that_actions_changed(client_for, item, secretary, member):
    response = client_for(secretary).post(
        reverse("actions:item_actions", args=[item.pk]),
        {"text": "Announce me", "owners": [member.pk], "due_kind": "next_meeting"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Trigger"] == "actions-changed"


def test_it_counts_the_navigation_badge_once_until_the_record_changes(
    rf, item, member, days, django_assert_num_queries
):
    from actions.context_processors import nav_actions

    ActionFactory(item=item, owners=[member], due_on=days(1))
    request = rf.get("/")
    request.user = member.user
    assert request.user.person == member  # the navigation already loaded the person
    # The record's version; the ids the person owns (two index look-ups), then one count
    # over them by primary key.
    with django_assert_num_queries(3):
        assert str(nav_actions(request)["nav_actions_count"]) == "1"
    # Nothing changed since: the version alone.
    with django_assert_num_queries(1):
        assert str(nav_actions(request)["nav_actions_count"]) == "1"
    ActionFactory(item=item, owners=[member], due_on=days(2))
    assert str(nav_actions(request)["nav_actions_count"]) == "2"


def test_it_refuses_a_past_due_date_and_all_members_with_names(client_for, item, secretary, days):
    # A meeting still to come: its actions fall due from today on.
    item.meeting.starts_at = timezone.now() + dt.timedelta(days=3)
    item.meeting.save(update_fields=["starts_at"])
    response = client_for(secretary).post(
        reverse("actions:item_actions", args=[item.pk]),
        {
            "text": "Backdated",
            "owners": ["all", secretary.pk],
            "due_kind": "date",
            "due_on": days(-1).isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )
    page = _text(response)
    assert "The due date is in the past." in page
    assert "already includes everyone" in page
    assert not Action.objects.exists()


def test_it_leaves_all_members_actions_out_of_an_observers_list(client_for, item, observer):
    ActionFactory(item=item, whole_board=True, text="Everyone's job")
    mine = client_for(observer).get(reverse("actions:mine")).context["mine"]
    assert mine.open_count == 0


def test_it_keeps_formula_like_text_as_text_in_exports(client_for, board, item, member):
    ActionFactory(item=item, owners=[member], text='=HYPERLINK("http://evil")')
    response = client_for(member).get(reverse("actions:log_export", args=[board.slug, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["C2"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["C2"].data_type == "s"


def test_my_actions_redraws_a_row_when_what_it_shows_changes(client_for, item, member, days):
    action = ActionFactory(item=item, owners=[member], text="Draft the protocol", due_on=days(3))
    client = client_for(member)
    assert "No updates yet" in _text(client.get(reverse("actions:mine")))
    ActionUpdateFactory(action=action, by=member, text="Sent to legal")
    type(item).objects.filter(pk=item.pk).update(title="Renamed item")
    html = _text(client.get(reverse("actions:mine")))
    assert "Sent to legal" in html and "Renamed item" in html
    assert "No updates yet" not in html


def test_it_asks_for_a_reason_to_change_an_action_of_approved_minutes(
    client_for, action, secretary, chair
):
    from meetings.models import Meeting

    Meeting.objects.filter(pk=action.item.meeting_id).update(
        status=Meeting.Status.MINUTES_APPROVED, approved_on=timezone.localdate()
    )
    url = reverse("actions:edit", args=[action.pk])
    data = {"text": "Report back in full", "owners": [chair.pk], "due_kind": "next_meeting"}
    response = client_for(secretary).post(url, data)
    assert response.status_code == 409
    page = _text(response)
    assert "give a reason for the change" in page
    assert "Reason for the amendment" in page and "Report back in full" in page
    action.refresh_from_db()
    assert action.text == "Scope the data sharing review"
    response = client_for(secretary).post(url, {**data, "reason": "Minuted wrongly"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.text == "Report back in full"
    assert list(action.owners.all()) == [chair]
    assert action.item.meeting.amendments.get().reason == "Minuted wrongly"


def test_former_members_do_not_see_confidential_actions_they_held(client_for, board, item):
    """Issue 17: a member who left keeps their log-in and the open actions named to them
    (an officer may still owe a report), but not those of a confidential item, nor the
    updates added since they left, on "my actions" or in their calendar feed."""
    former = PersonFactory(name="Fern Former")
    MembershipFactory(
        person=former,
        board=board,
        started_on=timezone.localdate() - dt.timedelta(days=400),
        ended_on=timezone.localdate() - dt.timedelta(days=20),
    )
    held = ActionFactory(item=item, text="Map the youth services", owners=[former])
    exempt = AgendaItemFactory(meeting=item.meeting, title="Staffing", confidential=True)
    secret = ActionFactory(item=exempt, text="Consult staff on redundancies", owners=[former])
    ActionUpdateFactory(action=secret, text="Unions told of the cuts")
    ActionUpdateFactory(action=held, text="Youth map drafted")

    mine = _text(client_for(former).get(reverse("actions:mine")))
    feed = client_for(former).get(reverse("actions:person_feed", args=[former.calendar_token]))
    feed = feed.content.decode()

    assert "Map the youth services" in mine and "Youth map drafted" in mine
    assert "Map the youth services" in feed
    for seen in (mine, feed):
        assert "Consult staff" not in seen and "Unions told" not in seen


def test_a_membership_starting_in_the_future_gives_no_access_yet(client_for, board, item):
    """Issue 17: every "current member" rule now asks Membership.objects.current(), which
    lets no one in before their start date (two of them used to)."""
    newcomer = PersonFactory(name="Nia Newcomer")
    MembershipFactory(
        person=newcomer, board=board, started_on=timezone.localdate() + dt.timedelta(days=7)
    )
    ActionFactory(item=item, text="Everyone to read the review", whole_board=True)
    client = client_for(newcomer)

    assert client.get(reverse("boards:detail", args=[board.slug])).status_code == 404
    assert client.get(item.meeting.get_absolute_url()).status_code == 404
    assert board.name not in _text(client.get(reverse("home")))
    assert "Everyone to read the review" not in _text(client.get(reverse("actions:mine")))
    feed = client.get(reverse("actions:person_feed", args=[newcomer.calendar_token]))
    assert "Everyone to read the review" not in feed.content.decode()


def test_it_names_each_sort_order_of_the_log_once(client_for, member, board, action):
    page = _text(client_for(member).get(reverse("actions:log", args=[board.slug])))
    assert "(descending)" not in page
    for label in ("Meeting (newest first)", "Due date (latest first)", "Action (Z–A)"):
        assert f">{label}</option>" in page


def test_it_keeps_the_overdue_rows_of_the_log_in_a_labelled_region(
    client_for, member, board, item, days
):
    ActionFactory(item=item, owners=[member], due_on=days(-2))
    page = _text(client_for(member).get(reverse("actions:log", args=[board.slug])))
    assert 'role="region" aria-label="Actions of One Swindon Board" tabindex="0"' in page
    assert '<tr class="table-warning">' in page


def test_it_summarises_the_errors_of_an_update_above_the_form(client_for, member, action):
    response = client_for(member).post(reverse("actions:add_update", args=[action.pk]), {})
    page = _text(response)
    assert "There is a problem" in page
    assert 'href="#update-text"' in page


def test_it_gives_each_field_of_the_action_page_its_own_id(client_for, secretary, action):
    """The update, close and edit forms share the page: an id used twice would label the
    wrong box and send the error summary's link to the wrong form."""
    page = _text(client_for(secretary).get(action.get_absolute_url()))
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert [i for i in set(ids) if ids.count(i) > 1] == []
    assert 'for="update-text"' in page and 'for="edit-text"' in page


def test_it_links_the_action_log_pdf_from_the_log(client_for, member, board):
    page = _text(client_for(member).get(reverse("actions:log", args=[board.slug])))
    assert f'href="{reverse("actions:log_pdf", args=[board.slug])}"' in page


def test_it_keeps_the_line_breaks_and_bullets_of_an_action_and_its_decision(
    client_for, member, item
):
    from meetings.tests.factories import DecisionFactory

    decision = DecisionFactory(item=item, number=2, text="To ask partners to:\n- share data")
    action = ActionFactory(
        item=item, decision=decision, owners=[member], text="Write to:\nSBC\nCCG"
    )
    page = _text(client_for(member).get(action.get_absolute_url()))
    assert "Write to:<br>SBC<br>CCG</h1>" in page
    assert "<p>To ask partners to:</p><ul><li>share data</li></ul>" in page


# --- the meeting screen with every fragment it loads --------------------------------------
def _screen_with_fragments(client, meeting) -> list:
    """GET the meeting screen and every fragment its htmx loads with it, as a browser does;
    return the responses (the shell first)."""
    import html

    shell = client.get(_edit(meeting))
    responses = [shell]
    for tag in re.findall(rb"<[^>]*hx-trigger=\"load[^>]*>", shell.content):
        url = re.search(rb'hx-get="([^"]+)"', tag)
        if url:
            responses.append(client.get(html.unescape(url.group(1).decode()), **HTMX))
    return responses


def _item_with_actions(meeting, secretary, n):
    item = AgendaItem.objects.get(meeting=meeting, order=n + 1)
    record_action(item=item, text=f"Action {n}", by=secretary, owners=[secretary])


def test_it_loads_the_screen_and_its_fragments_in_the_same_queries_for_5_or_80_items(
    client_for, secretary, board
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(secretary)
    counts = []
    for size in (5, 80):
        # a board each, so the second meeting has no earlier one's matters arising
        board = BoardFactory()
        MembershipFactory(board=board, person=secretary, role=Membership.Role.SECRETARY)
        meeting = _meeting_with_items(board, size)
        AgendaItemFactory(meeting=meeting, order=size + 1, title="Matters arising")
        for n in range(size):
            _item_with_actions(meeting, secretary, n)
        _screen_with_fragments(client, meeting)  # warm the per-request caches alike
        with CaptureQueriesContext(connection) as queries:
            responses = _screen_with_fragments(client, meeting)
        assert all(r.status_code == 200 for r in responses)
        page = b"".join(r.content for r in responses)
        assert page.count(b'class="item-action mb-2"') == size  # every item's action shows
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_it_loads_an_items_add_action_form_when_the_meeting_screen_opens_it(
    client_for, item, secretary, member
):
    screen = client_for(secretary).get(
        reverse("actions:meeting_actions", args=[item.meeting_id]), HTTP_HX_REQUEST="true"
    )
    # The screen's batch carries each item's actions and a closed "Add an action", no form.
    assert "Add an action" in screen.content.decode()
    assert 'name="owners"' not in screen.content.decode()
    url = reverse("actions:item_actions", args=[item.pk]) + "?part=form"
    form = client_for(secretary).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-adds="action"' in form and 'name="owners"' in form
    assert "<html" not in form
    assert client_for(member).get(url, HTTP_HX_REQUEST="true").status_code == 403
