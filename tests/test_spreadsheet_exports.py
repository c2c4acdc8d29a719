"""Every CSV and XLSX the app writes keeps typed text as text: no cell runs as a formula.

Each payload goes into every text field an export prints (people, organisations, the board,
meeting, item, action, update, decision, fund and ledger line); every export is downloaded
through its real URL and read back the way a spreadsheet program would.
"""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from actions.tests.factories import ActionFactory, ActionUpdateFactory
from boards.models import Membership
from boards.spreadsheets import spreadsheet_cell
from boards.tests.factories import (
    BoardFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from funding.services import allocate_from_fund, record_budget, reverse_entry
from funding.tests.factories import FundFactory
from meetings.models import Meeting
from meetings.tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(params=PAYLOADS)
def payload(request):
    return request.param


@pytest.fixture
def world(payload):
    """A board where every typed text field an export prints holds the payload."""
    board = BoardFactory(name=payload, slug="formula-board")
    organisation = OrganisationFactory(name=payload, short_name=payload)
    member = PersonFactory(name=payload, title="", organisation=organisation)
    MembershipFactory(person=member, board=board, role=Membership.Role.MEMBER)
    meeting = MeetingFactory(
        board=board,
        title=payload,
        starts_at=timezone.make_aware(dt.datetime(2014, 3, 18, 14, 0)),
        status=Meeting.Status.MINUTES_APPROVED,
        approved_on=dt.date(2014, 4, 15),
    )
    item = AgendaItemFactory(meeting=meeting, number="", title=payload)
    decision = DecisionFactory(item=item, text=payload)
    action = ActionFactory(item=item, text=payload, owners=[member], decision=decision)
    ActionUpdateFactory(action=action, by=member, text=payload)

    fund = FundFactory(board=board, name=payload)
    small = record_budget(fund=fund, amount=500, financial_year=2013, purpose=payload)
    reverse_entry(entry=small, reason="Entered against the wrong year")  # a -500p line
    allocate_from_fund(
        fund=fund,
        decision=decision,
        amount=2_500_000,
        purpose=payload,
        recipient=organisation,
        lead=member,
        override_reason=payload,
    )
    return {"board": board, "member": member, "fund": fund}


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    # A download may stream (the fund ledger does): read it whole either way.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _assert_no_formula(rows: list[dict], where: str) -> None:
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(FORMULA_STARTS) or _is_number(value), (
                where,
                column,
                value,
            )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_it_keeps_typed_formulas_as_text_in_every_export(client_for, payload, world):
    board, fund = world["board"], world["fund"]
    client = client_for(world["member"])
    escaped = "'" + payload

    log = _csv(client.get(reverse("actions:log_export", args=[board.slug, "csv"])))
    _assert_no_formula(log, "action log csv")
    (row,) = log
    for column in ("Item", "Action", "Owners", "Organisations", "Last update"):
        assert row[column] == escaped, column

    response = client.get(reverse("actions:log_export", args=[board.slug, "xlsx"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    headers = [cell.value for cell in sheet[1]]
    for cells in sheet.iter_rows():
        for cell in cells:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_STARTS), (cell.coordinate, cell.value)
    xlsx_row = dict(zip(headers, [cell.value for cell in sheet[2]], strict=True))
    for column in ("Item", "Action", "Owners", "Organisations", "Last update"):
        assert xlsx_row[column] == escaped, column

    ledger = _csv(client.get(reverse("funding:fund_csv", args=[fund.pk])))
    _assert_no_formula(ledger, "ledger csv")
    allocation = next(r for r in ledger if r["Kind"] == "Allocation")
    for column in ("Purpose", "Recipient", "Lead", "Item", "Override reason"):
        assert allocation[column] == escaped, column
    assert allocation["Meeting"].startswith(escaped + ", ")
    # Numbers stay numbers: the reversed 500p budget line is -5.00, not '-5.00.
    assert sorted(r["Amount (£)"] for r in ledger) == ["-5.00", "25000.00", "5.00"]
    assert next(r for r in ledger if r["Amount (£)"] == "5.00")["Purpose"] == escaped

    grants = _csv(client.get(reverse("funding:grants_csv", args=[fund.pk])))
    _assert_no_formula(grants, "fund 360giving csv")
    (grant,) = grants
    for column in (
        "Title",
        "Description",
        "Recipient Org:Name",
        "Funding Org:Name",
        "Grant Programme:Title",
    ):
        assert grant[column] == escaped, column

    published = _csv(client.get(reverse("api:giving_csv", args=[board.slug])))
    _assert_no_formula(published, "open 360giving csv")
    (grant,) = published
    for column in (
        "Title",
        "Description",
        "Recipient Org:Name",
        "Funding Org:Name",
        "Grant Programme:Title",
    ):
        assert grant[column] == escaped, column
    assert grant["Amount Awarded"] == "25000.0"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Scoping review", "Scoping review"),
        ("", ""),
        ("-1000.00", "-1000.00"),
        (-500, -500),
        (-5.0, -5.0),
        (None, None),
    ],
)
def test_it_writes_formula_starts_as_text_and_leaves_numbers_alone(value, written):
    assert spreadsheet_cell(value) == written
