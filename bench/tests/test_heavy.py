"""The heavy users' section: its personas' pages, the links it follows, the JSON it gives."""

import pytest
from django.test import Client, override_settings

from bench import heavy, runner
from demo import generate as generate_module
from demo.generate import generate

LOG_HTML = """
<ul class="pagination">
<li><a class="page-link" href="?status=open&amp;page=2">Next</a></li>
<li><a class="page-link" href="?status=open&amp;page=1">1</a></li>
<li><a class="page-link" href="?status=open&amp;page=197">197</a></li>
<li><a class="page-link" href="?status=open&amp;page=198">198</a></li>
</ul>"""


class Pages:
    """A stand-in client that serves fixed HTML by path and query."""

    def __init__(self, pages):
        self.pages, self.asked = pages, []

    def get(self, url):
        self.asked.append(url)

        class Response:
            content = self.pages[url].encode()

        return Response()


def test_it_follows_the_pages_own_link_to_the_deepest_full_page():
    # The last page holds the remainder, 1 to 25 rows: the one before it is full.
    client = Pages({"/log/": LOG_HTML})
    assert heavy.deepest_page(client, "/log/") == "/log/?status=open&page=197"
    last = '<a rel="last" href="/log/?page=9">»</a><a href="/log/?page=3">3</a>'
    assert heavy.deepest_page(Pages({"/log/": last}), "/log/") == "/log/?page=8"
    only = '<a class="page-link" href="?page=1">1</a>'
    assert heavy.deepest_page(Pages({"/log/": only}), "/log/") == "/log/?page=1"


def test_it_walks_a_cursor_list_by_its_next_links_as_far_as_they_go():
    client = Pages(
        {
            "/log/": '<a href="?cursor=b">Older</a>',
            "/log/?cursor=b": '<a href="?cursor=c">Older</a>',
            "/log/?cursor=c": "<p>the end</p>",
        }
    )
    assert heavy.deepest_page(client, "/log/") == "/log/?cursor=b"  # the end's page is partial


def test_it_finds_the_fragments_the_meeting_screen_loads_by_itself():
    html = (
        '<div hx-get="/actions/item/7/" hx-trigger="load, reload"></div>'
        '<button hx-get="/meetings/1/people/" hx-trigger="click"></button>'
        '<div data-x="1" hx-trigger="revealed" hx-get="/m/1/matters?a=1&amp;b=2"></div>'
    )
    assert heavy.fragments(html, "/meetings/1/edit/") == [
        "/actions/item/7/",
        "/m/1/matters?a=1&b=2",
    ]


@pytest.mark.django_db
def test_it_measures_every_heavy_case_as_its_persona_sees_it(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setattr(generate_module, "SCREEN_MEETINGS", (12, 3))  # 80 and 5: too slow here
    generate(scale=0.001)
    found = heavy.measure(requests=2, budget_s=0)
    for case in heavy.CASES:
        assert found[case]["queries"] > 0, case
        assert len(found[case]["times_ms"]) == 2, case  # at least two, whatever the budget
        if case != "reminder_pass_idle":
            assert found[case]["status"] == [200], (case, found[case])
    screen = found["meeting_screen_80_items"]
    # The shell and every fragment it loads (all items' actions come in one request), so
    # the same number of requests whatever the meeting's length.
    assert screen["requests_per_view"] >= 2
    assert found["meeting_screen_5_items"]["requests_per_view"] == screen["requests_per_view"]
    from actions.models import Action
    from actions.views import LOG_PAGE_SIZE

    big = Action.objects.filter(board__funds__name__startswith="Big Board Fund").count()
    last = -(-big // LOG_PAGE_SIZE)
    # The deepest full page: the one before the last, which holds the remainder.
    assert last > 2 and found["log_last_page"]["url"].endswith(f"?page={last - 1}")
    assert found["reminder_pass_idle"]["idle"] is True
    exports = heavy.exports()
    assert exports["csv"]["status"] == 200 and exports["csv"]["rows_per_second"] > 0
    assert exports["xlsx"]["peak_memory_mb"] > 0


@pytest.mark.django_db
def test_its_idle_reminder_passes_are_idle_late_in_the_evening(settings, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from actions.models import Action
    from actions.reminders import LONDON

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    generate(scale=0.001)
    # Its passes at 23:40, 23:55 and (the one measured) 00:10.
    evening = dt.datetime.combine(timezone.localdate(), dt.time(23, 40), tzinfo=LONDON)
    # An action whose week's-notice reminder falls due tomorrow: the next day's plan has it.
    action = (
        Action.objects.open()
        .filter(owners__isnull=False, item__meeting__minutes_circulated_at__lt=evening)
        .first()
    )
    Action.objects.filter(pk=action.pk).update(due_on=evening.date() + dt.timedelta(days=8))
    monkeypatch.setattr(timezone, "now", lambda: evening)
    found = heavy.reminder_pass_idle(passes=2, budget_s=0)
    assert found["idle"] is True, found


def test_it_gives_each_heavy_case_its_figures_and_checks_the_targets():
    def case(p95, queries):
        return {"p95_ms": p95, "median_ms": p95, "queries": queries, "requests": 4,
                "status": [200], "url": "/x/"}  # fmt: skip

    small = {key: case(10, 5) for key in heavy.CASES} | {"meeting_screen_5_items": case(9, 9)}
    large = {key: case(12, 5) for key in heavy.CASES} | {"meeting_screen_5_items": case(9, 9)}
    large["search_staff"] = case(30, 6)
    cases = runner.compare_heavy(small, large)
    for key in heavy.CASES:
        assert {"p95_small_ms", "p95_large_ms", "p95_ratio", "queries_small",
                "queries_large"} <= set(cases[key]), key  # fmt: skip
    assert cases["search_staff"]["p95_ratio"] == 3.0
    targets = runner.heavy_targets(cases, {}, {"memory_growth_mb": 40, "renders": 100})
    assert targets["heavy_p95_ratio_le_1_5"] == {
        "pass": False, "failing": ["search_staff"], "not_measured": []
    }  # fmt: skip
    assert targets["heavy_queries_equal"]["failing"] == ["search_staff"]
    assert targets["meeting_screen_5_vs_80"]["pass"] is False  # 5 queries at 80, 9 at 5
    assert targets["pdf_rss_growth_le_15_mb"]["pass"] is False


@pytest.mark.django_db
def test_the_trivial_page_does_no_work_beyond_the_frame(member, monkeypatch):
    from actions import selectors

    def counted(person):
        raise AssertionError("the trivial page ran the navigation count")

    monkeypatch.setattr(selectors, "needs_attention_count", counted)
    client = Client()
    client.force_login(member.user)
    with override_settings(ROOT_URLCONF="bench.urls"):
        response = client.get("/bench/frame/")
        assert response.status_code == 200
        assert b"My actions" in response.content  # the site's own navigation and layout
        with pytest.raises(AssertionError, match="navigation count"):
            client.get("/about/")  # a page of the site shows the count
