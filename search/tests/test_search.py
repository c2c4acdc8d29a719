"""The search page, on whichever database the run uses (SQLite or PostgreSQL)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.tests.factories import ActionFactory
from boards.permissions import reach_of
from meetings.tests.factories import AgendaItemFactory, DecisionFactory
from search import fulltext
from search.tests.factories import PaperFactory

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


def strip_marks(html: str) -> str:
    return re.sub(r"</?mark>", "", html)


def hits(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return [(hit.kind.name, hit.obj.pk) for hit in response.context["hits"] or []]


def test_it_finds_items_decisions_actions_and_papers(client_for, member, record):
    found = hits(client_for(member), q="protocol")
    assert ("item", record["data_item"].pk) in found
    assert ("decision", record["decision"].pk) in found
    assert ("paper", record["paper"].pk) in found
    assert ("action", record["action"].pk) in hits(client_for(member), q="officer")


def test_it_finds_sharing_when_the_minutes_say_share(client_for, member, record):
    found = hits(client_for(member), q="sharing", kind="item")
    # "share data" in March's minutes; "shared" in January's.
    assert ("item", record["data_item"].pk) in found
    assert ("item", record["mention"].pk) in found


def test_it_ranks_a_title_match_above_a_passing_mention(client_for, member, record):
    found = hits(client_for(member), q="data sharing", kind="item")
    assert found.index(("item", record["data_item"].pk)) < found.index(
        ("item", record["mention"].pk)
    )


def test_it_links_each_hit_to_its_place_in_the_meeting(client_for, member, record, march):
    response = client_for(member).get(URL, {"q": "officer"})
    item = record["data_item"]
    assert f'href="/meetings/{march.pk}/#item-{item.pk}"' in response.content.decode()


def test_it_highlights_the_words_found(client_for, member, record):
    response = client_for(member).get(URL, {"q": "protocol", "kind": "item"})
    assert "<mark>protocol</mark>" in response.content.decode().lower()


def test_it_escapes_what_the_minutes_contain(client_for, member, march):
    AgendaItemFactory(meeting=march, title="Budget", minutes="<script>alert(1)</script> budget")
    response = client_for(member).get(URL, {"q": "budget"})
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "<mark>budget</mark>" in html.lower()


def test_it_shows_confidential_hits_to_members(client_for, member, record):
    found = hits(client_for(member), q="redundancy")
    assert {("item", record["secret"].pk), ("decision", record["secret_decision"].pk)} <= set(
        found
    )
    assert ("action", record["secret_action"].pk) in found
    assert ("paper", record["secret_paper"].pk) in found


def test_it_hides_confidential_hits_from_an_observer(client_for, observer, record):
    response = client_for(observer).get(URL, {"q": "redundancy"})
    assert response.context["hits"] == []
    assert "Redundancy" not in response.content.decode()
    assert ("item", record["secret"].pk) not in hits(client_for(observer), q="data sharing")


def test_it_shows_confidential_hits_to_an_observer_granted_sight(
    client_for, granted_observer, record
):
    assert ("item", record["secret"].pk) in hits(client_for(granted_observer), q="redundancy")


def test_it_finds_nothing_of_another_board_for_an_outsider(client_for, outsider, record):
    assert hits(client_for(outsider), q="protocol") == []
    assert hits(client_for(outsider), q="redundancy") == []


def test_it_sends_anonymous_visitors_to_log_in(client, record):
    response = client.get(URL, {"q": "protocol"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_filters_by_kind(client_for, member, record):
    found = hits(client_for(member), q="protocol", kind=["decision", "paper"])
    assert {kind for kind, _ in found} == {"decision", "paper"}


def test_it_filters_by_date(client_for, member, record):
    found = hits(client_for(member), q="data", date_from="2014-01-01", kind="item")
    assert ("item", record["data_item"].pk) in found
    assert ("item", record["mention"].pk) not in found
    found = hits(client_for(member), q="data", date_to="2013-12-31", kind="item")
    assert found == [("item", record["mention"].pk)]


def test_it_filters_by_board(client_for, member, board, other_board, record):
    # The member is not on the other board: it is not a choice, so nothing is searched.
    response = client_for(member).get(URL, {"q": "protocol", "board": other_board.pk})
    assert response.context["hits"] is None
    assert "board" in response.context["form"].errors
    assert hits(client_for(member), q="protocol", board=board.pk)


def test_it_explains_dates_the_wrong_way_round_and_keeps_the_words(client_for, member, record):
    response = client_for(member).get(
        URL, {"q": "data sharing", "date_from": "2015-01-01", "date_to": "2014-01-01"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The end date is before the start date." in html
    assert 'value="data sharing"' in html


def test_it_survives_odd_queries(client_for, member, record):
    for text in ['"', "-", "!!! & | :*", "the", "a" * 200, "'; drop table", "£25k"]:
        response = client_for(member).get(URL, {"q": text})
        assert response.status_code == 200


def test_it_refuses_nonsense_dates_with_a_message(client_for, member, record):
    response = client_for(member).get(URL, {"q": "data", "date_from": "31/02/2014"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_it_pages_through_many_hits(client_for, member, march):
    for n in range(45):
        AgendaItemFactory(meeting=march, title=f"Partnership item {n}", minutes="partnership")
    first = client_for(member).get(URL, {"q": "partnership"})
    assert first.context["page"].paginator.count == 45
    assert len(first.context["hits"]) == 20
    assert "page=2" in first.content.decode()
    third = client_for(member).get(URL, {"q": "partnership", "page": 3})
    assert len(third.context["hits"]) == 5
    # A page past the end shows the last page, not an error.
    assert client_for(member).get(URL, {"q": "partnership", "page": 99}).status_code == 200


def test_it_keeps_the_best_hits_and_says_there_are_more(client_for, member, march, monkeypatch):
    monkeypatch.setattr(fulltext, "MAX_HITS", 30)
    monkeypatch.setattr(fulltext, "HITS_FETCHED", 31)
    for n in range(35):
        AgendaItemFactory(meeting=march, title=f"Partnership item {n}", minutes="partnership")
    response = client_for(member).get(URL, {"q": "partnership"})
    assert response.context["page"].paginator.count == 30
    assert "The 30 best of more results" in response.content.decode()
    assert "narrow by board or dates" in response.content.decode()
    exact = client_for(member).get(URL, {"q": "partnership", "kind": "item", "page": 2})
    assert "best of more" in exact.content.decode()


def test_hits_of_every_kind_share_one_ranking_newest_meeting_first(
    client_for, member, march, january
):
    older = ActionFactory(item=AgendaItemFactory(meeting=january), text="Review the hub rota.")
    newer = ActionFactory(item=AgendaItemFactory(meeting=march), text="Review the hub rota.")
    # A decision about the matter outranks actions on it, however old.
    stronger = DecisionFactory(
        item=AgendaItemFactory(meeting=january), text="Hub rota: review the hub rota."
    )
    found = hits(client_for(member), q="hub rota")
    assert found == [("decision", stronger.pk), ("action", newer.pk), ("action", older.pk)]


@pytest.mark.parametrize("size", [3, 30])
def test_it_answers_in_a_bounded_number_of_queries(
    client_for, member, march, size, django_assert_max_num_queries
):
    for n in range(size):
        item = AgendaItemFactory(meeting=march, title=f"Housing {n}", minutes="housing need")
        DecisionFactory(item=item, text="Housing plan agreed.")
        ActionFactory(item=item, text="Report on housing.")
    client = client_for(member)
    # 18 on PostgreSQL, 19 on SQLite (which ranks each kind in a query of its own),
    # counting the navigation count's version of the record.
    with django_assert_max_num_queries(19):
        response = client.get(URL, {"q": "housing"})
    assert response.context["page"].paginator.count == 3 * size


def test_a_page_of_every_kind_costs_the_queries_of_a_page_of_one(client_for, member, march):
    # The bench's small record shows items, decisions and actions on its first page, the
    # large one items alone: the page's cost must not depend on which kinds it shows.
    item = AgendaItemFactory(meeting=march, title="Housing", minutes="housing need")
    client = client_for(member)
    client.get(URL, {"q": "housing"})  # warm: the navigation's cached counts
    with CaptureQueriesContext(connection) as one_kind:
        client.get(URL, {"q": "housing"})
    decision = DecisionFactory(item=item, text="Housing plan agreed.")
    ActionFactory(item=item, text="Report on housing.", due_on=dt.date(2027, 1, 8))
    PaperFactory(item=item, title="Housing strategy")
    client.get(URL, {"q": "housing"})
    with CaptureQueriesContext(connection) as every_kind:
        response = client.get(URL, {"q": "housing"})
    assert {hit.kind.name for hit in response.context["hits"]} == {
        "item",
        "decision",
        "action",
        "paper",
    }
    assert len(every_kind) == len(one_kind)
    page = response.content.decode()
    assert f"{decision.label} Housing plan agreed." in strip_marks(page)
    assert "Open</span> due 8 Jan 2027" in page


def test_it_lists_only_the_users_boards_as_filters(client_for, member, board, other_board):
    response = client_for(member).get(URL)
    choices = [label for _, label in response.context["form"].fields["board"].choices]
    assert board.name in choices
    assert other_board.name not in choices


def test_reach_matches_the_page_permissions(member, observer, granted_observer, board, outsider):
    assert reach_of(member.user).confidential_ids == {board.pk}
    assert reach_of(observer.user).board_ids == {board.pk}
    assert reach_of(observer.user).confidential_ids == set()
    assert reach_of(granted_observer.user).confidential_ids == {board.pk}
    assert board.pk not in reach_of(outsider.user).board_ids


def test_a_former_member_finds_nothing(client_for, member, record):
    membership = member.memberships.get()
    membership.ended_on = timezone.localdate() - dt.timedelta(days=1)
    membership.save()
    assert hits(client_for(member), q="protocol") == []


def test_the_fallback_words_strip_common_endings():
    assert fulltext.words_of("Data sharing") == ["data", "shar"]
    assert fulltext.words_of('"budgets" -housing') == ["budget"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
class TestPostgres:
    def test_every_kind_matches_on_its_indexed_stored_document(self, record):
        from django.db import connection as conn

        for kind in fulltext.KINDS.values():
            rows = (
                kind.model.objects.alias(document=fulltext.StoredDocument())
                .filter(document=fulltext._query("protocol"))
                .order_by()
            )
            with conn.cursor() as cursor:
                # A tiny table is cheaper to scan: leave the planner only the bitmap path.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
                plan = rows.explain()
            assert "_fts" in plan, (kind.name, plan)
            # The stored vector is read, not rebuilt from the text.
            assert "to_tsvector" not in plan, (kind.name, plan)

    def test_corrected_minutes_are_found_by_their_new_words(self, client_for, member, record):
        item = record["data_item"]
        item.minutes = "The protocol was withdrawn pending legal advice."
        item.save()
        assert ("item", item.pk) in hits(client_for(member), q="withdrawn", kind="item")
        assert ("item", item.pk) not in hits(client_for(member), q="partners", kind="item")

    def test_it_understands_quoted_phrases_and_exclusions(self, client_for, member, record):
        found = hits(client_for(member), q='"share data"', kind="item")
        assert found == [("item", record["data_item"].pk)]
        found = hits(client_for(member), q="data -protocol", kind="item")
        assert ("item", record["data_item"].pk) not in found
        assert ("item", record["mention"].pk) in found

    def test_stopwords_alone_find_nothing_without_error(self, client_for, member, record):
        assert hits(client_for(member), q="the and of") == []

    def test_within_the_latest_meetings_decisions_and_actions_are_matched_row_by_row(
        self, client_for, member, record
    ):
        """Their window's rows are few; through the text index a common phrase read every
        match in the council, the planner expecting far fewer than there were."""
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            found = hits(client_for(member), q="protocol")
        ranked = next(q["sql"] for q in queries if "ts_rank" in q["sql"])
        for table in ("actions_action", "meetings_decision"):
            assert f'("{table}"."search_document" || \'\'::tsvector) @@' in ranked, ranked
        assert '"meetings_agendaitem"."search_document" @@' in ranked  # items keep the index
        assert ("decision", record["decision"].pk) in found
        assert ("action", record["action"].pk) in hits(client_for(member), q="officer")

    def test_a_common_phrase_is_ranked_among_the_latest_meetings_a_rare_one_everywhere(
        self, client_for, member, march, january, monkeypatch
    ):
        monkeypatch.setattr(fulltext, "RECENT_MEETINGS", 1)
        monkeypatch.setattr(fulltext, "MAX_HITS", 5)
        monkeypatch.setattr(fulltext, "HITS_FETCHED", 6)
        for n in range(8):
            AgendaItemFactory(meeting=march, title=f"Partnership item {n}", minutes="partnership")
        old = AgendaItemFactory(meeting=january, title="Partnership review", minutes="partnership")
        rare = AgendaItemFactory(meeting=january, title="Hub rota", minutes="The hub rota.")
        client = client_for(member)

        found = hits(client, q="partnership", kind="item")
        # Eight matches in March are more than the five kept: January's title is not ranked.
        assert len(found) == 5 and ("item", old.pk) not in found
        assert "best of more" in client.get(URL, {"q": "partnership"}).content.decode()
        # Too few in the latest meeting: the whole record is searched.
        assert hits(client, q="rota", kind="item") == [("item", rare.pk)]
