"""The heavy users (issue 22): the pages of the busiest people, boards and deepest pages.

Each case signs in as one of the generator's personas (`demo.generate.PERSONAS`) and
fetches what that person's browser would: the meeting screen is its shell and every item
fragment the shell loads; the "last page" of a list is found by following the page's own
links (its last page, or its next link as far as it goes when the list is a cursor), so a
change of pagination is measured as the page now offers it. Runs in a child process whose
DATABASE_URL names one record; the orchestrator compares the small record with the large.
"""

import math
import re
import time
import tracemalloc
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from demo import generate

CASES = (
    "my_actions_heavy_owner",
    "my_actions_chair_20",
    "home_chair_20",
    "log_last_page",
    "log_sort_due",
    "api_actions_last_page",
    "search_chair_20",
    "search_staff",
    "calendar_heavy_owner",
    "fund_csv",
    "meeting_screen_80_items",
    "reminder_pass_idle",
)
# A phrase of many matches in every generated record (decisions and minutes name the
# Transformation Fund): a rare phrase would flatter search.
SEARCH_TEXT = "transformation fund"
# A cursor list has no "last" link: this many "next" hops stand for a deep page.
MAX_HOPS = 30
LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S | re.I)
FRAGMENT = re.compile(r"<[a-z]+\b[^>]*\bhx-get=\"[^\"]+\"[^>]*>", re.I)


def _attr(tag: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return unescape(found.group(1)) if found else None


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _drain(response) -> int:
    """Read a response as a download does, a chunk at a time, keeping none: its size."""
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _join(base: str, href: str) -> str:
    """An href as the browser resolves it against the page's URL (path and query only)."""
    if href.startswith("?"):
        return urlsplit(base).path + href
    parts = urlsplit(href)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def deepest_page(client, url: str) -> str:
    """The list's deepest full page as its own links reach it: the one before a "Last"
    link's or the highest numbered page, else the "Next"/"Older"/"Earlier" link followed
    up to MAX_HOPS times, stopping short of a final page. A last page holds the remainder
    (2 rows of the small record's 352, 24 of the large's 24,649): it would time the rows,
    not the depth."""
    before = None
    for _hop in range(MAX_HOPS):
        html = _body(client.get(url)).decode(errors="replace")
        links = [(_attr(attrs, "href"), attrs, re.sub(r"<[^>]+>", "", text).strip())
                 for attrs, text in LINK.findall(html)]  # fmt: skip
        links = [(h, a, t) for h, a, t in links if h and ("page=" in h or "cursor=" in h)]
        for href, attrs, text in links:
            if _attr(attrs, "rel") == "last" or re.match(r"(last|oldest)\b", text, re.I):
                return _page_before(_join(url, href))
        numbered = [
            (int(n), href)
            for href, _a, text in links
            for n in [parse_qs(urlsplit(href).query).get("page", [""])[0]]
            if n.isdigit() and text.isdigit()
        ]
        if numbered:
            return _page_before(_join(url, max(numbered)[1]))
        nexts = [h for h, a, t in links if _attr(a, "rel") == "next" or re.match(
            r"(next|older|earlier)\b", t, re.I)]  # fmt: skip
        if not nexts:
            return before or url
        before, url = url, _join(url, nexts[0])
    return url


def _page_before(url: str) -> str:
    """The numbered page before this one (page 1 stays)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    number = int(query.get("page", ["1"])[0])
    if number > 1:
        query["page"] = [str(number - 1)]
    return urlunsplit(("", "", parts.path, urlencode(query, doseq=True), ""))


def deepest_api_page(client, url: str) -> str:
    """The API list's deepest full page, as deepest_page: from its count when it has one,
    else its "next" links, short of a final page."""
    before = None
    for _hop in range(MAX_HOPS):
        data = client.get(url).json()
        following = data.get("next")
        if not following:
            return before or url
        if isinstance(data.get("count"), int) and data.get("results"):
            parts = urlsplit(following)
            query = parse_qs(parts.query)
            if "page" in query:
                query["page"] = [str(math.ceil(data["count"] / len(data["results"])))]
                last = urlunsplit(("", "", parts.path, urlencode(query, doseq=True), ""))
                return _page_before(last)
        before, url = url, _join(url, following)
    return url


def fragments(html: str, base: str) -> list[str]:
    """The URLs the meeting screen's shell loads by itself (hx-trigger "load")."""
    found = []
    for tag in FRAGMENT.findall(html):
        trigger = _attr(tag, "hx-trigger") or ""
        if re.search(r"\b(load|revealed|intersect)\b", trigger):
            found.append(_join(base, _attr(tag, "hx-get")))
    return found


# --- who and what --------------------------------------------------------------------------


def personas() -> dict:
    from boards.models import Person

    names = {"secretary": generate.BENCH_USERNAME, **generate.PERSONAS}
    people = Person.objects.select_related("user").filter(user__username__in=names.values())
    by_name = {p.user.username: p for p in people}
    return {key: by_name[name] for key, name in names.items()}


def _clients(people) -> dict:
    from django.test import Client

    clients = {}
    for key, person in people.items():
        clients[key] = Client()
        clients[key].force_login(person.user)
    return clients


def plans(people, clients) -> dict[str, tuple[str, list[tuple[str, dict]]]]:
    """Each case: whose client, and the requests one view of it makes."""
    from django.urls import reverse

    from boards.models import Board
    from funding.models import Fund
    from meetings.models import Meeting

    big = Board.objects.get(chair=people["chair_20"], funds__name__startswith="Big Board Fund")
    fund = Fund.objects.get(board=big, name__startswith="Big Board Fund")
    log = reverse("actions:log", args=[big.slug])
    htmx = {"HTTP_HX_REQUEST": "true"}

    def screen(items):
        meeting = Meeting.objects.get(title=generate.screen_title(items))
        shell = reverse("meetings:edit", args=[meeting.pk])
        html = _body(clients["secretary"].get(shell)).decode(errors="replace")
        return [(shell, {})] + [(url, htmx) for url in fragments(html, shell)]

    search = reverse("search:search") + "?" + urlencode({"q": SEARCH_TEXT})
    return {
        "my_actions_heavy_owner": ("heavy_owner", [(reverse("actions:mine"), {})]),
        "my_actions_chair_20": ("chair_20", [(reverse("actions:mine"), {})]),
        "home_chair_20": ("chair_20", [(reverse("home"), {})]),
        "log_last_page": ("chair_20", [(deepest_page(clients["chair_20"], log), {})]),
        "log_sort_due": ("chair_20", [(log + "?sort=due", {})]),
        "api_actions_last_page": (
            "staff",
            [(deepest_api_page(clients["staff"], "/api/actions/"), {})],
        ),
        "search_chair_20": ("chair_20", [(search, {})]),
        "search_staff": ("staff", [(search, {})]),
        "calendar_heavy_owner": (
            "heavy_owner",
            [(reverse("actions:person_feed", args=[people["heavy_owner"].calendar_token]), {})],
        ),
        "fund_csv": ("chair_20", [(reverse("funding:fund_csv", args=[fund.pk]), {})]),
        # The long and the short meeting (80 and 5 items).
        "meeting_screen_80_items": ("secretary", screen(max(generate.SCREEN_MEETINGS))),
        "meeting_screen_5_items": ("secretary", screen(min(generate.SCREEN_MEETINGS))),
    }


# --- measuring -----------------------------------------------------------------------------


def _view(client, requests) -> tuple[list[int], int]:
    statuses, size = [], 0
    for url, headers in requests:
        response = client.get(url, **headers)
        statuses.append(response.status_code)
        size += len(_body(response))
    return statuses, size


def measure(requests: int, budget_s: float) -> dict:
    """Per case: the URLs, statuses, bytes and queries of one view, and the times of up to
    `requests` views (at least two, and no more than `budget_s` seconds' worth)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = personas()
    clients = _clients(people)
    results = {}
    for case, (who, views) in plans(people, clients).items():
        client = clients[who]
        try:
            _view(client, views)  # warm-up: templates, connection, caches
            with CaptureQueriesContext(connection) as queries:
                statuses, size = _view(client, views)
            query_count = len(queries)
            times, started = [], time.perf_counter()
            while len(times) < requests and (
                len(times) < 2 or time.perf_counter() - started < budget_s
            ):  # at least two (one when only one is asked for), as the budget allows
                begun = time.perf_counter()
                _view(client, views)
                times.append((time.perf_counter() - begun) * 1000)
        except Exception as exc:  # a page being rebuilt elsewhere: report it, go on
            results[case] = {"error": f"{exc.__class__.__name__}: {exc}"[:300]}
            continue
        results[case] = {
            "url": views[0][0],
            "requests_per_view": len(views),
            "status": sorted(set(statuses)),
            "bytes": size,
            "queries": query_count,
            "times_ms": [round(t, 2) for t in times],
        }
    results["reminder_pass_idle"] = reminder_pass_idle(requests, budget_s)
    return results


def reminder_pass_idle(passes: int, budget_s: float) -> dict:
    """The 15-minute reminder pass when nothing is due: one pass sends what the record has
    due this morning, then the passes after it find nothing. Rolled back: the record stays
    as generated."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from actions import reminders

    # The day's digest time, not the clock's: a run late in the evening would otherwise
    # time its "idle" passes after midnight, on the next day's plan.
    now = reminders.digest_at(reminders.london_date(timezone.now()))
    with transaction.atomic():
        reminders.run_reminder_pass(now)  # the morning's work
        reminders.run_reminder_pass(now + timedelta(minutes=15))  # and its retries
        later = now + timedelta(minutes=30)
        with CaptureQueriesContext(connection) as queries:
            planned, sent = reminders.run_reminder_pass(later)
        times, started = [], time.perf_counter()
        while len(times) < passes and (len(times) < 2 or time.perf_counter() - started < budget_s):
            begun = time.perf_counter()
            reminders.run_reminder_pass(later)
            times.append((time.perf_counter() - begun) * 1000)
        outbox = reminders.Reminder.objects.count()
        transaction.set_rollback(True)
    return {
        "outbox": outbox,
        "idle": planned.created == 0 and sent.emails == 0,
        "queries": len(queries),
        "times_ms": [round(t, 2) for t in times],
    }


def exports() -> dict:
    """The biggest board's action log as CSV and XLSX: rows a second and peak memory."""
    from django.urls import reverse

    from actions.models import Action
    from boards.models import Board

    people = personas()
    client = _clients({"chair_20": people["chair_20"]})["chair_20"]
    board = Board.objects.get(chair=people["chair_20"], funds__name__startswith="Big Board Fund")
    rows = Action.objects.filter(board=board).count()
    found = {"board": board.name, "actions": rows}
    for fmt in ("csv", "xlsx"):
        url = reverse("actions:log_export", args=[board.slug, fmt])
        try:
            client.get(reverse("actions:log", args=[board.slug]))  # warm: templates, caches
            begun = time.perf_counter()
            response = client.get(url, follow=True)
            size = _drain(response)
            seconds = time.perf_counter() - begun
            # Peak Python memory of a second export, traced (tracemalloc slows it down).
            tracemalloc.start()
            _drain(client.get(url, follow=True))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        except Exception as exc:
            found[fmt] = {"error": f"{exc.__class__.__name__}: {exc}"[:300]}
            continue
        found[fmt] = {
            "status": response.status_code,
            "streaming": bool(getattr(response, "streaming", False)),
            "content_type": response.get("Content-Type", ""),
            "bytes": size,
            "seconds": round(seconds, 3),
            "rows_per_second": round(rows / seconds) if seconds else None,
            "peak_memory_mb": round(peak / 1024 / 1024, 1),
        }
    return found
