"""Every URL, requested by every role, for its own board's objects and another board's.

The URL list comes from the URL configuration itself: a new named URL without an entry in
MATRIX fails `test_every_url_has_an_entry`, naming it. Each entry says how to build the
URL's arguments from the objects of one board (`w`), which method to use, and what each
role must get. Anything readable is also searched for confidential text that the role
may not see.

Roles: anonymous; outsider (member of another board); former (a member of this board who
left last month, still signed in, named on its actions); observer, member, secretary and
chair of this board. Expectations: a status code, or OK (200), WRITE (the write was
accepted or refused as a form error: 200/204/302/400, anything but 403/404/405/5xx),
LOGIN (302 to the sign-in page), NOT_ON_BOARD (404).

A marker word is planted in every field of a confidential item (and of an approved
meeting's one, with its corrections and an amendment); the second half of this file
seeks it wherever a reader without the grant can reach beyond the matrix's URLs (every
meeting's page, PDFs and pack, XLSX, search, the API's lists, their own calendar feed,
the reminder e-mails), and finds it where members should.

Run with MATRIX_REPORT=1 to print what every role actually gets (for writing entries).
"""

import datetime as dt
import html
import io
import os
import secrets
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlencode

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from pypdf import PdfReader

from actions.reminders import LONDON, run_reminder_pass
from actions.services import add_update
from actions.tests.factories import ActionFactory
from boards.models import Invitation, Membership, hash_token
from boards.tests.factories import (
    BoardFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from boards.unsubscribe import unsubscribe_token
from funding.models import FundEntry
from funding.services import allocate_from_fund
from funding.tests.factories import BidFactory, FundEntryFactory, FundFactory
from importer.models import MinutesImport
from meetings.mail import reply_token
from meetings.models import (
    AgendaItem,
    AmendmentProposal,
    Declaration,
    ForwardPlanEntry,
    Meeting,
    Paper,
)
from meetings.services import approve_minutes, save_minutes
from meetings.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "former", "observer", "member", "secretary", "chair")
BOARD_ROLES = ("observer", "member", "secretary", "chair")
OK, WRITE, LOGIN, NOT_ON_BOARD = "OK", "WRITE", "LOGIN", 404
WRITE_CODES = {200, 201, 204, 302, 303, 400, 422}
# One word each, so a search snippet (which cuts at word boundaries, and on PostgreSQL
# at hyphens too) shows a marker whole or not at all.
SECRET = "SECRETEXEMPT7Q"  # in every field of a confidential item but its title
TITLE_SECRET = "EXEMPTTITLE3K"  # in the confidential item's title
# Responses that show an exempt item's title to readers without the grant: the public
# copies of the minutes and the agenda pack list an item considered in private by number
# and title only ("This item was considered in private"), as a council's published agenda
# and minutes must (the title is for publication; what was said and decided is not). The
# meeting page, search, the API and the feeds leave such an item out altogether.
TITLE_SHOWN_TO_OBSERVERS = {"meetings:minutes_pdf", "meetings:agenda_pack_pdf"}

# Django's own sign-in and password views, tested in tests/test_security_signin.py and
# tests/test_security_two_factor.py; the admin has its own staff-only checks.
SKIPPED_NAMESPACES = ("admin",)
SKIPPED_NAMES = {
    "admin_login",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "security:two_factor",
    "security:verify",
}


@dataclass
class Entry:
    kwargs: object = None  # callable(w) -> dict, where w holds one board's objects
    method: str = "get"
    data: object = None  # callable(w) -> dict for POST
    # Expected per role; roles not named get `others`.
    expect: dict = field(default_factory=dict)
    others: object = OK
    anonymous: object = LOGIN
    outsider: object = None  # NOT_ON_BOARD for a board's object, else as `others`
    former: object = None  # a member who has left: as `outsider` unless given
    # Another board's object, requested by each role of this board.
    other_board: object = NOT_ON_BOARD
    # The same URL built from the confidential item/paper/action: what an observer gets.
    confidential: object = None
    query: str = ""

    def expected(self, role):
        if role == "anonymous":
            return self.anonymous
        if role == "former" and self.former is not None:
            return self.former
        if role in ("outsider", "former"):
            if self.outsider is not None:
                return self.outsider
            return NOT_ON_BOARD if self.other_board is not None else self.others
        return self.expect.get(role, self.others)


def _read(**kw):
    """A page every board role may read."""
    return Entry(**kw)


def _edit(**kw):
    """A secretary's (and chair's) write; observers and members are refused."""
    kw.setdefault("method", "post")
    kw.setdefault("expect", {"observer": 403, "member": 403})
    kw.setdefault("others", WRITE)
    return Entry(**kw)


def _pk(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


def _slug(w):
    return {"slug": w.board.slug}


def _invitation(w, token=None):
    """A pending invitation of a new person of the board (its token known to the test)."""
    person = PersonFactory(user=None, added_for=w.board)
    return Invitation.objects.create(
        person=person,
        board=w.board,
        email=person.email,
        token_hash=hash_token(token or secrets.token_urlsafe()),
        expires_at=timezone.now() + dt.timedelta(days=3),
    )


def _invitation_token(w):
    token = secrets.token_urlsafe()
    _invitation(w, token)
    return token


def _plan_entry(w):
    return ForwardPlanEntry.objects.get_or_create(board=w.board, title="Come back to this")[0]


def _proposal(w):
    return AmendmentProposal.objects.get_or_create(
        item=w.item, proposer=w.member, defaults={"text": "Corrected", "base_version": 1}
    )[0]


MATRIX: dict[str, Entry] = {
    # --- pages without a board in the address ---
    "home": _read(other_board=None),
    "healthz": _read(anonymous=OK, outsider=OK, other_board=None),
    "about": _read(anonymous=OK, outsider=OK, other_board=None),
    "accessibility": _read(anonymous=OK, outsider=OK, other_board=None),
    "reminders:preferences": _read(other_board=None),
    # The signed token is the credential (one-click unsubscribe, RFC 8058): no sign-in.
    "reminders:unsubscribe": _read(
        kwargs=lambda w: {"token": unsubscribe_token(w.observer)},
        anonymous=OK,
        outsider=OK,
        other_board=None,
    ),
    # Each person's own API tokens (tests/test_security_api_tokens.py): nobody else's.
    "security:api_tokens": _read(other_board=None),
    "actions:mine": _read(other_board=None),
    "actions:mine_group": _read(kwargs=lambda w: {"group": "overdue"}, other_board=None),
    "actions:new_calendar_link": _read(method="post", others=302, other_board=None),
    "search:search": _read(other_board=None, query="?q=exempt"),
    # --- boards ---
    "boards:detail": _read(kwargs=_slug),
    # --- a partnership's set-up: the installation's staff start one (no board role may);
    # the board's secretary and chair keep it, never an observer, a member or another
    # board's secretary ---
    "boards:new": _read(others=403, other_board=None),
    # The token in the address is the credential: no sign-in needed.
    "boards:invitation_accept": _read(
        kwargs=lambda w: {"token": _invitation_token(w)},
        anonymous=OK,
        outsider=OK,
        other_board=None,
    ),
    "boards:settings": _edit(kwargs=_slug, method="get", others=OK),
    "boards:sub_board_new": _edit(kwargs=_slug, method="get", others=OK),
    "boards:organisations": _edit(kwargs=_slug, method="get", others=OK),
    "boards:organisation_edit": _edit(
        kwargs=lambda w: {"slug": w.board.slug, "pk": w.member.organisation_id},
        method="get",
        others=OK,
    ),
    "boards:organisation_merge": _edit(kwargs=_slug),
    "boards:people": _edit(kwargs=_slug, method="get", others=OK),
    "boards:person_new": _edit(kwargs=_slug, method="get", others=OK),
    "boards:person_edit": _edit(
        kwargs=lambda w: {"slug": w.board.slug, "pk": w.member.pk}, method="get", others=OK
    ),
    "boards:person_invite": _edit(kwargs=lambda w: {"slug": w.board.slug, "pk": w.member.pk}),
    "boards:people_import": _edit(kwargs=_slug, method="get", others=OK),
    "boards:invitation_resend": _edit(
        kwargs=lambda w: {"slug": w.board.slug, "pk": _invitation(w).pk}
    ),
    "boards:invitation_revoke": _edit(
        kwargs=lambda w: {"slug": w.board.slug, "pk": _invitation(w).pk}
    ),
    "boards:members": _edit(kwargs=_slug, method="get", others=OK),
    "boards:membership_new": _edit(kwargs=_slug, method="get", others=OK),
    "boards:membership_edit": _edit(
        kwargs=lambda w: {"slug": w.board.slug, "pk": w.member.memberships.get().pk},
        method="get",
        others=OK,
    ),
    # --- meetings: reading ---
    "meetings:detail": _read(kwargs=_pk("meeting")),
    "meetings:minutes_pdf": _read(kwargs=_pk("meeting")),
    "meetings:agenda_pack": _read(kwargs=_pk("meeting")),
    # Redirects to the pack page until the pack has been built.
    "meetings:agenda_pack_pdf": _read(kwargs=_pk("meeting"), others=302),
    "meetings:paper_download": _read(kwargs=_pk("paper"), confidential={"paper": "conf_paper"}),
    # --- meetings: the secretary's screen ---
    "meetings:create": _edit(kwargs=_slug, method="get", others=OK),
    "meetings:edit": _edit(kwargs=_pk("meeting"), method="get", others=OK),
    "meetings:status": _edit(kwargs=_pk("meeting")),
    "meetings:details": _edit(kwargs=_pk("meeting"), method="get", others=OK),
    # Refused with a message (302 back) when the meeting already has a record.
    "meetings:delete": _edit(kwargs=_pk("meeting")),
    "meetings:item_add": _edit(kwargs=_pk("meeting")),
    "meetings:reorder": _edit(kwargs=_pk("meeting")),
    "meetings:people_search": _edit(kwargs=_pk("meeting"), method="get", others=OK),
    "meetings:person_create": _edit(kwargs=_pk("meeting")),
    "meetings:attendance_mark": _edit(kwargs=_pk("meeting")),
    "meetings:attendance_add": _edit(kwargs=_pk("meeting")),
    "meetings:declaration_add": _edit(kwargs=_pk("meeting")),
    "meetings:item_update": _edit(kwargs=_pk("item")),
    "meetings:item_delete": _edit(kwargs=_pk("item")),
    "meetings:item_indent": _edit(kwargs=_pk("item")),
    "meetings:item_minutes": _edit(kwargs=_pk("item")),
    "meetings:paper_upload": _edit(kwargs=_pk("item")),
    "meetings:decision_add": _edit(kwargs=_pk("item")),
    # The chair records the board's agreement of earlier minutes (APPROVE_MINUTES; the
    # secretary only where the board allows it).
    "meetings:approve_minutes": _edit(
        kwargs=_pk("item"),
        data=lambda w: {"earlier": w.earlier.pk, "corrections": ""},
        expect={"observer": 403, "member": 403, "secretary": 403},
    ),
    # Approval on a page of its own, for the chair and vice-chair (not the secretary).
    "meetings:approval": _read(
        kwargs=_pk("meeting"), expect={"observer": 403, "member": 403, "secretary": 403}
    ),
    "meetings:paper_delete": _edit(kwargs=_pk("paper")),
    "meetings:decision_delete": _edit(kwargs=_pk("decision")),
    "meetings:decision_vote": _edit(kwargs=_pk("decision"), data=lambda w: {"votes_for": "3"}),
    "meetings:declaration_delete": _edit(kwargs=_pk("declaration")),
    "meetings:attendance_presence": _edit(kwargs=_pk("attendance")),
    # The screen's forms loaded when opened: the secretary's and chair's alone.
    "meetings:presence_form": _edit(method="get", kwargs=_pk("attendance"), others=OK),
    "meetings:vote_form": _edit(method="get", kwargs=_pk("decision"), others=OK),
    "meetings:bring_back_fields": _edit(method="get", kwargs=_pk("item"), others=OK),
    "meetings:item_edit_form": _edit(method="get", kwargs=_pk("item"), others=OK),
    "meetings:decision_form": _edit(method="get", kwargs=_pk("item"), others=OK),
    "meetings:paper_form": _edit(method="get", kwargs=_pk("item"), others=OK),
    "meetings:attendance_role": _edit(kwargs=_pk("attendance"), data=lambda w: {"role": "chair"}),
    "meetings:attendance_remove": _edit(kwargs=_pk("attendance")),
    # --- meetings: the cycle (invitation replies, cancelling, members' corrections) ---
    # The signed link is the credential: it names its meeting and person, no sign-in.
    "meetings:reply": _read(
        kwargs=lambda w: {
            "response": "attend",
            "token": reply_token(w.meeting, w.member, "attend"),
        },
        anonymous=OK,
        outsider=OK,
        other_board=OK,
    ),
    # Any member replies for themself (refused as a message when replies are closed).
    "meetings:reply_on_page": _read(kwargs=_pk("meeting"), method="post", others=WRITE),
    "meetings:cancel": _edit(kwargs=_pk("meeting")),
    "meetings:proposals": _edit(kwargs=_pk("meeting"), method="get", others=OK),
    # Members (not observers) propose corrections to items they may read.
    "meetings:propose": _read(
        kwargs=_pk("item"), expect={"observer": 403}, confidential={"item": "conf_item"}
    ),
    "meetings:forward_plan_add": _edit(kwargs=_pk("meeting")),
    "meetings:decisions": _read(kwargs=_slug),
    "meetings:decisions_export": _read(kwargs=lambda w: {"slug": w.board.slug, "fmt": "csv"}),
    "meetings:forward_plan": _read(kwargs=_slug),
    "meetings:forward_plan_refer": _edit(kwargs=lambda w: {"pk": _plan_entry(w).pk}),
    "meetings:proposal_decide": _edit(
        kwargs=lambda w: {"pk": _proposal(w).pk}, data=lambda w: {"decision": "reject"}
    ),
    # --- actions ---
    "actions:detail": _read(kwargs=_pk("action"), confidential={"action": "conf_action"}),
    # Owners (the member here) update and close their own actions; observers may not.
    "actions:add_update": _edit(
        kwargs=_pk("action"), data=lambda w: {"text": "Met the funders"}, expect={"observer": 403}
    ),
    "actions:close": _edit(
        kwargs=_pk("action"),
        data=lambda w: {"outcome": "done", "note": "Report given"},
        expect={"observer": 403},
    ),
    "actions:reopen": _edit(
        kwargs=_pk("done_action"),
        data=lambda w: {"note": "Not finished"},
        expect={"observer": 403},
    ),
    "actions:edit": _edit(
        kwargs=_pk("action"),
        data=lambda w: {
            "text": "Report back in full",
            "owners": [str(w.member.pk)],
            "due_kind": "next_meeting",
        },
    ),
    "actions:log": _read(kwargs=_slug),
    "actions:log_export": _read(kwargs=lambda w: {"slug": w.board.slug, "fmt": "csv"}),
    "actions:log_pdf": _read(kwargs=_slug),
    "actions:log_build": _read(kwargs=lambda w: {"slug": w.board.slug, "fmt": "xlsx"}),
    "actions:leavers": _edit(kwargs=_slug, method="get", others=OK),
    "actions:item_actions": _read(kwargs=_pk("item"), confidential={"item": "conf_item"}),
    "actions:matters_arising": _read(kwargs=_pk("meeting")),
    "actions:meeting_actions": _read(kwargs=_pk("meeting")),
    # Capability addresses: the token or the board's public calendar is the whole point.
    "actions:person_feed": _read(
        kwargs=lambda w: {"token": w.observer.calendar_token},
        anonymous=OK,
        outsider=OK,
        other_board=OK,
    ),
    "actions:board_feed": _read(kwargs=_slug, anonymous=OK, outsider=OK, other_board=OK),
    # --- funding ---
    "funding:fund": _read(kwargs=_pk("fund")),
    "funding:fund_csv": _read(kwargs=_pk("fund")),
    "funding:grants_csv": _read(kwargs=lambda w: {"pk": w.fund.pk, "fmt": "csv"}),
    "funding:grants_json": _read(kwargs=lambda w: {"pk": w.fund.pk, "fmt": "json"}),
    "funding:fund_record_line": _edit(kwargs=_pk("fund")),
    "funding:fund_transfer": _edit(kwargs=_pk("fund")),
    "funding:fund_reverse": _edit(kwargs=lambda w: {"pk": w.fund.pk, "entry_pk": w.entry.pk}),
    "funding:fund_release": _edit(kwargs=lambda w: {"pk": w.fund.pk, "entry_pk": w.entry.pk}),
    "funding:bid": _read(kwargs=_pk("bid")),
    "funding:bids": _read(kwargs=_slug),
    "funding:bid_new": _edit(kwargs=_slug, method="get", others=OK),
    "funding:fund_new": _edit(kwargs=_slug, method="get", others=OK),
    "funding:bid_status": _edit(kwargs=_pk("bid")),
    "funding:bid_add_line": _edit(kwargs=_pk("bid")),
    "funding:bid_add_savings": _edit(kwargs=_pk("bid")),
    "funding:bid_award": _edit(kwargs=_pk("bid")),
    "funding:allocate": _edit(kwargs=_pk("decision"), method="get", others=OK),
    "funding:board_panel": _read(kwargs=_slug),
    # --- search ---
    "search:thread": _read(kwargs=_pk("item"), confidential={"item": "conf_item"}),
    # --- API (token or session; JSON) ---
    "api:schema": _read(anonymous=OK, outsider=OK, other_board=None),
    "api:token": _read(method="post", anonymous=400, outsider=400, others=400, other_board=None),
    "api:api-root": _read(anonymous=401, other_board=None),
    "api:board-list": _read(anonymous=401, other_board=None),
    "api:board-detail": _read(kwargs=lambda w: {"pk": w.board.pk}, anonymous=401),
    "api:meeting-list": _read(anonymous=401, other_board=None),
    "api:meeting-detail": _read(kwargs=_pk("meeting"), anonymous=401),
    "api:item-list": _read(anonymous=401, other_board=None),
    "api:item-detail": _read(
        kwargs=_pk("item"), anonymous=401, confidential={"item": "conf_item"}
    ),
    "api:decision-list": _read(anonymous=401, other_board=None),
    "api:decision-detail": _read(kwargs=_pk("decision"), anonymous=401),
    "api:action-list": _read(anonymous=401, other_board=None),
    "api:action-detail": _read(
        kwargs=_pk("action"), anonymous=401, confidential={"action": "conf_action"}
    ),
    "api:fund-list": _read(anonymous=401, other_board=None),
    "api:fund-detail": _read(kwargs=_pk("fund"), anonymous=401),
    # Open data: published for anyone, so never anything confidential.
    "api:ocd_events": _read(kwargs=_slug, anonymous=OK, outsider=OK, other_board=OK),
    "api:oparl": _read(kwargs=_slug, anonymous=OK, outsider=OK, other_board=OK),
    "api:giving": _read(kwargs=_slug, anonymous=OK, outsider=OK, other_board=OK),
    "api:giving_csv": _read(kwargs=_slug, anonymous=OK, outsider=OK, other_board=OK),
    # --- importing old minutes: the secretary's (and chair's) work ---
    "importer:upload": _edit(kwargs=_slug, method="get", others=OK),
    "importer:review": _edit(kwargs=_pk("minutes_import"), method="get", others=OK),
    "importer:cancel": _edit(kwargs=_pk("minutes_import")),
}


# --- the URL configuration ---------------------------------------------------------------


def _named_urls(patterns=None, namespace=None):
    """Every URL name in the configuration, with its namespace, admin left out."""
    names = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if inner in SKIPPED_NAMESPACES:
                continue
            full = ":".join(n for n in (namespace, inner) if n) or None
            names += _named_urls(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return sorted(set(names) - SKIPPED_NAMES)


def test_every_url_has_an_entry():
    missing = [name for name in _named_urls() if name not in MATRIX]
    assert missing == [], (
        "These URLs have no entry in tests/test_permission_matrix.py MATRIX; add one saying "
        f"what each role gets: {', '.join(missing)}"
    )


def test_the_matrix_names_only_real_urls():
    stale = sorted(set(MATRIX) - set(_named_urls()))
    assert stale == [], f"MATRIX entries for URLs that no longer exist: {stale}"


# --- one board's world ---------------------------------------------------------------------


def _world(board, people, secret=SECRET, title_secret=TITLE_SECRET):
    """Everything a URL can point at, on `board`, with confidential twins."""
    w = SimpleNamespace(board=board, secret=secret, title_secret=title_secret, **people)
    w.meeting = MeetingFactory(board=board, title=f"Meeting of {board.name}")
    w.earlier = MeetingFactory(
        board=board, starts_at=w.meeting.starts_at - dt.timedelta(days=60), status="held"
    )
    w.item = AgendaItemFactory(meeting=w.meeting, title="Shared strategy", order=1)
    w.conf_item = AgendaItemFactory(
        meeting=w.meeting,
        title=f"Exempt item {title_secret}",
        minutes=f"Staffing changes {secret}",
        confidential=True,
        order=2,
    )
    w.decision = DecisionFactory(item=w.item, number=1)
    w.paper = _paper(w.item, "Strategy paper")
    w.declaration = Declaration.objects.create(
        meeting=w.meeting, person=w.member, item=w.item, nature="Trustee of a bidder"
    )
    w.attendance = AttendanceFactory(meeting=w.meeting, person=w.member)
    w.action = ActionFactory(item=w.item, text="Report back on the strategy")
    w.action.owners.set([w.member])
    # An action the board's former member held while a member, updated since they left.
    w.held_action = ActionFactory(item=w.item, text="Map the youth services")
    w.held_action.owners.set([w.member, *w.named])
    add_update(action=w.held_action, by=w.secretary, text="Youth map drafted")
    w.done_action = ActionFactory(item=w.item, status="done", closed_at=timezone.now())
    w.done_action.owners.set([w.member])
    w.fund = FundFactory(board=board)
    w.entry = FundEntryFactory(fund=w.fund, kind=FundEntry.Kind.BUDGET, amount=5_000_000)
    w.conf_paper, w.conf_action = _confidential_record(w, w.conf_item)
    w.bid = BidFactory(board=board)
    w.minutes_import = MinutesImport.objects.create(
        board=board, source_text="Note of meeting", content_hash=f"{board.pk:064d}"
    )
    _approved_minutes(w)
    return w


def _confidential_record(w, item, reported_at=None):
    """The marker in every row filed under a confidential item: its decision, a
    declaration, a paper, an action named to a member and the former member (with an
    update since they left, reported at `reported_at`), an "ALL" action, and money
    allocated by the decision (its amount counts in every balance; its purpose,
    recipient, lead and override reason are as confidential as the decision)."""
    secret = w.secret
    decision = DecisionFactory(item=item, number=1, text=f"To restructure {secret}")
    paper = _paper(item, f"Exempt paper {secret}")
    Declaration.objects.create(
        meeting=item.meeting, person=w.chair, item=item, nature=f"Spouse affected {secret}"
    )
    action = ActionFactory(item=item, text=f"Consult staff {secret}")
    action.owners.set([w.member, *w.named])
    add_update(action=action, by=w.secretary, text=f"Unions told {secret}", meeting=reported_at)
    ActionFactory(item=item, text=f"All to read the review {secret}", whole_board=True)
    allocate_from_fund(
        fund=w.fund,
        decision=decision,
        amount=250_000,
        purpose=f"Severance costs {secret}",
        recipient=OrganisationFactory(name=f"Recipient {secret} of {item.meeting.pk}"),
        lead=PersonFactory(name=f"Lead {secret}", user=None),
        override_reason=f"Chair agreed it in private {secret}",
    )
    return paper, action


def _approved_minutes(w):
    """An older meeting with its own confidential record, its minutes agreed with
    corrections (through the approval service) at an item of the earlier meeting: the
    one meeting open data publishes."""
    w.older = MeetingFactory(
        board=w.board, starts_at=w.earlier.starts_at - dt.timedelta(days=30), status="held"
    )
    AgendaItemFactory(meeting=w.older, title="Open business", order=1)
    older_item = AgendaItemFactory(
        meeting=w.older,
        title=f"Exempt matter {w.title_secret}",
        minutes=f"Legal advice {w.secret}",
        confidential=True,
        order=2,
    )
    _confidential_record(w, older_item, reported_at=w.earlier)
    approving = AgendaItemFactory(meeting=w.earlier, title="Minutes of the last meeting", order=1)
    approve_minutes(
        item=approving,
        earlier=w.older,
        by=w.chair.user,
        corrections=f"Item 2 should read: advice withdrawn {w.secret}",
    )
    # Amended after approval, with a reason that speaks of the item.
    save_minutes(
        item=older_item,
        text=f"Legal advice, since withdrawn {w.secret}",
        version=older_item.version,
        by=w.chair.user,
        reason=f"The advice was withdrawn {w.secret}",
    )
    # Open items that point at the confidential one: this meeting's item follows it
    # up, and a member left the meeting at it.
    AgendaItem.objects.filter(pk=w.item.pk).update(follows=older_item)
    AttendanceFactory(meeting=w.older, person=w.member, left_at_item=older_item)


PAPER_BYTES = b"%PDF-1.4\n%%EOF\n"


def _paper(item, title):
    upload = SimpleUploadedFile("paper.pdf", PAPER_BYTES, content_type="application/pdf")
    return Paper.objects.create(
        item=item, title=title, file=upload, content_type="application/pdf", size=15
    )


def _people(board, prefix):
    people = {}
    for role in BOARD_ROLES:
        person = PersonFactory(name=f"{prefix} {role.title()}")
        MembershipFactory(person=person, board=board, role=role)
        people[role] = person
    # A member who left last month and kept their log-in; named on actions (below).
    today = timezone.localdate()
    people["former"] = PersonFactory(name=f"{prefix} Former")
    MembershipFactory(
        person=people["former"],
        board=board,
        role=Membership.Role.MEMBER,
        started_on=today - dt.timedelta(days=400),
        ended_on=today - dt.timedelta(days=30),
    )
    people["named"] = [people["former"]]
    return people


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    yield from shared_worlds(django_db_blocker)


def shared_worlds(django_db_blocker):
    """Both boards' worlds, built once per module inside a transaction undone at its end.

    Each test runs in a savepoint within it (pytest-django), and each request in another
    savepoint, so no write leaks from one request to the next. Every role's client signs
    in once here: building the world and signing in per request made this test too slow.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            own, other = build_worlds()
        own.clients = {"anonymous": Client()}
        for role in BOARD_ROLES + ("outsider", "former"):
            own.clients[role] = Client()
            own.clients[role].force_login(getattr(own, role).user)
        yield own, other
        transaction.set_rollback(True)


def build_worlds():
    """This board's world (with its people) and another board's."""
    own_board = BoardFactory(name="Own Board", slug="own-board")
    other_board = BoardFactory(name="Other Board", slug="other-board")
    own = _world(own_board, _people(own_board, "Own"))
    other = _world(other_board, _people(other_board, "Other"), "OTHERSECRET2W", "OTHERTITLE5P")
    own.outsider = other.member
    return own, other


def _restore_papers(*worlds):
    """MEDIA_ROOT is a fresh directory per test (conftest): put the papers' files back."""
    for w in worlds:
        for paper in (w.paper, w.conf_paper):
            if not default_storage.exists(paper.file.name):
                default_storage.save(paper.file.name, ContentFile(PAPER_BYTES))


def _request(name, entry, w, client, objects=None, htmx=False):
    """Request the URL with `client` inside a savepoint, so a write never leaks to the next."""
    source = w if objects is None else SimpleNamespace(**{**vars(w), **objects})
    kwargs = entry.kwargs(source) if entry.kwargs else {}
    url = reverse(name, kwargs=kwargs) + entry.query
    with transaction.atomic():
        data = entry.data(source) if entry.data else {}
        headers = {"HX-Request": "true"} if htmx else {}
        response = getattr(client, entry.method)(url, data, headers=headers)
        body = _text(response)
        transaction.set_rollback(True)
    return response, body


def _text(response) -> str:
    """What a reader can read in a response: a PDF's or a spreadsheet's text, or the body."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if response.get("Content-Type", "").startswith("application/pdf") and content[:4] == b"%PDF":
        try:
            text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)
        except Exception:  # a test paper, not a real PDF: its bytes are the text
            pass
        else:
            # A marker the layout broke over two lines is still read.
            return text + "\n" + "".join(text.split())
    if content[:2] == b"PK":  # XLSX: the cells' text, not the zipped bytes
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    body = content.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("text/html"):
        # Search marks the words it matched: "<mark>SECRET</mark>-EXEMPT-7Q" is read too.
        return body + "\n" + html.unescape(strip_tags(body))
    return body


def _matches(expected, response) -> bool:
    status = response.status_code
    if expected == OK:
        return status == 200
    if expected == WRITE:
        return status in WRITE_CODES
    if expected == LOGIN:
        return status == 302 and response["Location"].startswith("/accounts/login/")
    return status == expected


def _may_see_confidential(role):
    return role in ("member", "secretary", "chair")


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_what_the_matrix_says(name, worlds, db):
    own, other = worlds
    _restore_papers(own, other)
    entry = MATRIX[name]
    report = bool(os.environ.get("MATRIX_REPORT"))
    wrong, leaks, seen = [], [], []
    for role in ROLES:
        response, body = _request(name, entry, own, own.clients[role])
        seen.append(f"{role}={response.status_code}")
        if not _matches(entry.expected(role), response):
            wrong.append(f"{role}: expected {entry.expected(role)}, got {response.status_code}")
        if not _may_see_confidential(role) and own.secret in body:
            leaks.append(f"{role} sees confidential text")
        title_allowed = role == "observer" and name in TITLE_SHOWN_TO_OBSERVERS
        if not _may_see_confidential(role) and own.title_secret in body and not title_allowed:
            leaks.append(f"{role} sees a confidential item's title")
    if entry.other_board is not None:
        # The least and the most privileged role of this board, on another board's object.
        for role in ("observer", "chair"):
            response, body = _request(name, entry, other, own.clients[role])
            seen.append(f"other/{role}={response.status_code}")
            if not _matches(entry.other_board, response):
                wrong.append(
                    f"{role} on another board's object: expected {entry.other_board}, "
                    f"got {response.status_code}"
                )
            if other.secret in body or other.title_secret in body:
                leaks.append(f"{role} sees another board's confidential text")
    if entry.confidential:
        objects = {key: getattr(own, attr) for key, attr in entry.confidential.items()}
        for role in ("observer", "member"):
            response, body = _request(name, entry, own, own.clients[role], objects)
            seen.append(f"conf/{role}={response.status_code}")
            refused = response.status_code in (403, 404)
            if role == "observer" and not refused:
                wrong.append(f"observer opens a confidential one: {response.status_code}")
            if role == "member" and refused:
                wrong.append(f"member refused a confidential one: {response.status_code}")
    if report:
        print(f"\nMATRIX {name}: {' '.join(seen)}")
    assert wrong == [] and leaks == [], f"{name}: {wrong + leaks}"


# --- the marker, everywhere a reader without the grant can reach ---------------------------

# Readers who may not see the board's confidential items.
RESTRICTED = ("anonymous", "outsider", "former", "observer")
# What a curious reader types into the search box: the markers in lower case (the page
# repeats the query, and the markers are sought as written), and words beside them.
SEARCHED = (SECRET.lower(), TITLE_SECRET.lower(), "exempt", "Severance", "Recipient", "Unions")


def _side_doors(w, person):
    """What the matrix does not reach from its one meeting: every meeting's page, PDFs
    and pack (the approved one with its corrections), the XLSX log, search for the
    marker's words, the API's lists, matters arising at the next meeting, and the
    reader's own calendar feed."""
    urls = []
    for meeting in (w.older, w.earlier, w.meeting, w.next):
        urls += [
            reverse(name, args=[meeting.pk])
            for name in (
                "meetings:detail",
                "meetings:minutes_pdf",
                "meetings:agenda_pack_pdf",
                "actions:matters_arising",
                "api:meeting-detail",
            )
        ]
    for fmt in ("csv", "xlsx"):
        urls.append(reverse("actions:log_export", kwargs={"slug": w.board.slug, "fmt": fmt}))
    urls += [f"{reverse('search:search')}?{urlencode({'q': words})}" for words in SEARCHED]
    lists = ("item", "decision", "action", "meeting", "fund", "board")
    urls += [reverse(f"api:{kind}-list") for kind in lists]
    if person is not None:
        urls.append(reverse("actions:person_feed", kwargs={"token": person.calendar_token}))
    urls += [reverse("actions:mine_group", kwargs={"group": g}) for g in ("overdue", "done")]
    return urls


def _reminders_sent(w):
    """Circulate the confidential item's minutes and run the reminder pass the next
    day at noon: every notice of its actions goes out (assigned ones first)."""
    Meeting.objects.filter(pk=w.meeting.pk).update(minutes_circulated_at=timezone.now())
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    run_reminder_pass(dt.datetime.combine(tomorrow, dt.time(12, 0), tzinfo=LONDON))
    return list(mail.outbox)


def _mail_to(person, outbox) -> str:
    """Subjects, bodies and HTML of every message addressed to the person."""
    parts = []
    for message in outbox:
        if person is not None and any(person.email in to for to in message.to):
            parts += [message.subject, message.body]
            parts += [content for content, _ in getattr(message, "alternatives", [])]
    return "\n".join(parts)


def _build_packs(w, client):
    """Each meeting's agenda pack, built as this reader may read it (inline tasks)."""
    for meeting in (w.older, w.earlier, w.meeting, w.next):
        client.post(reverse("meetings:agenda_pack", args=[meeting.pk]))


@pytest.fixture
def reached(worlds, db):
    """Each role's view of the world: every side door's text, and the mail sent to them."""
    own, other = worlds
    _restore_papers(own, other)
    own.next = MeetingFactory(
        board=own.board, starts_at=own.meeting.starts_at + dt.timedelta(days=30)
    )
    outbox = _reminders_sent(own)

    def read(role):
        client, person = own.clients[role], getattr(own, role, None)
        _build_packs(own, client)
        texts = {}
        for url in _side_doors(own, person):
            response = client.get(url)
            texts[f"{url} ({response.status_code}) {resolve(url.split('?')[0]).view_name}"] = (
                _text(response)
            )
        texts["e-mail"] = _mail_to(person, outbox)
        return texts

    return own, read


@pytest.mark.parametrize("role", RESTRICTED)
def test_the_marker_reaches_no_reader_without_the_grant(role, reached):
    own, read = reached
    leaks = []
    for where, text in read(role).items():
        if SECRET in text:
            leaks.append(f"confidential text in {where}")
        title_allowed = role == "observer" and where.split()[-1] in TITLE_SHOWN_TO_OBSERVERS
        if TITLE_SECRET in text and not title_allowed:
            leaks.append(f"a confidential item's title in {where}")
    assert leaks == [], f"{role}: {leaks}"


@pytest.mark.parametrize("role", ("member", "secretary", "chair"))
def test_members_read_the_marker_where_it_belongs(role, reached):
    """The other half of the test above: the marker is there to be found, so showing
    nothing to anybody would not pass."""
    own, read = reached
    texts = read(role)
    page = texts[next(k for k in texts if k.startswith(f"/meetings/{own.meeting.pk}/ "))]
    assert f"Staffing changes {SECRET}" in page  # the item's minutes
    assert TITLE_SECRET in page
    assert f"To restructure {SECRET}" in page
    assert f"Spouse affected {SECRET}" in page  # the declaration on the item
    older = texts[next(k for k in texts if k.startswith(f"/meetings/{own.older.pk}/ "))]
    assert f"advice withdrawn {SECRET}" in older  # the corrections agreed at approval
    pdf = texts[next(k for k in texts if k.startswith(f"/meetings/{own.meeting.pk}/minutes"))]
    assert f"Staffing changes {SECRET}" in pdf
    older_pdf = texts[next(k for k in texts if k.startswith(f"/meetings/{own.older.pk}/minutes"))]
    assert f"Theadvicewaswithdrawn{SECRET}" in older_pdf  # the amendment's reason
    searched = texts[next(k for k in texts if k.startswith(f"/search/?q={SECRET.lower()} "))]
    assert f"Staffing changes {SECRET}" in searched
    decisions = texts[next(k for k in texts if k.startswith("/api/decisions/ "))]
    assert f"To restructure {SECRET}" in decisions
    client = own.clients[role]
    fund = client.get(reverse("funding:fund", args=[own.fund.pk])).content.decode()
    assert f"Severance costs {SECRET}" in fund and f"Recipient {SECRET}" in fund
    action = client.get(own.conf_action.get_absolute_url()).content.decode()
    assert f"Unions told {SECRET}" in action
    # Every member owns the "ALL" action; the member here also holds the named one.
    assert f"All to read the review {SECRET}" in texts["e-mail"]
    if role == "member":
        assert f"Consult staff {SECRET}" in texts["e-mail"]


def test_a_former_member_still_reads_the_open_actions_they_held(reached):
    """They are not shown nothing: the non-confidential action they held, and its
    update since they left, stay on their list and in their calendar."""
    own, read = reached
    texts = read("former")
    feed = texts[next(k for k in texts if "/calendar/" in k)]
    assert "Map the youth services" in feed
    mine = own.clients["former"].get(reverse("actions:mine")).content.decode()
    assert "Map the youth services" in mine and "Youth map drafted" in mine


def test_an_observer_granted_confidential_items_sees_them(worlds, db):
    own, _ = worlds
    Membership.objects.filter(person=own.observer).update(sees_confidential=True)
    page = own.clients["observer"].get(own.meeting.get_absolute_url()).content.decode()
    assert SECRET in page


def test_anonymous_user_is_a_real_role():
    assert not AnonymousUser().is_authenticated


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("actions:add_update", {"text": "Met the funders"}),
        ("actions:close", {"outcome": "done", "note": "Report given"}),
    ],
)
def test_a_member_cannot_update_or_close_someone_elses_action(name, data, worlds, db):
    own, _ = worlds
    bystander = PersonFactory(name="Bea Bystander")
    MembershipFactory(person=bystander, board=own.board, role=Membership.Role.MEMBER)
    client = Client()
    client.force_login(bystander.user)
    response = client.post(reverse(name, kwargs={"pk": own.action.pk}), data)
    assert response.status_code == 403
    own.action.refresh_from_db()
    assert own.action.status == "open"
    assert not own.action.updates.exists()
