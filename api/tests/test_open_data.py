import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from boards.tests.factories import OrganisationFactory, PersonFactory
from funding.models import FundEntry
from funding.tests.factories import FundEntryFactory, FundFactory
from meetings.models import Attendance, Meeting
from meetings.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


def approved(board, **kwargs):
    return MeetingFactory(
        board=board,
        starts_at=timezone.make_aware(dt.datetime(2014, 3, 18, 14, 0)),
        venue="Civic Offices, Euclid Street, Swindon",
        status=Meeting.Status.MINUTES_APPROVED,
        approved_on=dt.date(2014, 4, 15),
        **kwargs,
    )


@pytest.fixture
def published(board):
    meeting = approved(board)
    AttendanceFactory(
        meeting=meeting, person=PersonFactory(name="Gavin Jones"), status=Attendance.Status.PRESENT
    )
    AttendanceFactory(
        meeting=meeting,
        person=PersonFactory(name="Alison Chamberlain"),
        status=Attendance.Status.APOLOGIES,
    )
    public = AgendaItemFactory(
        meeting=meeting,
        number="4",
        order=4,
        title="Data sharing protocol",
        minutes="John presented the protocol.",
    )
    decision = DecisionFactory(item=public, number=1, text="To fund a data officer.")
    secret = AgendaItemFactory(
        meeting=meeting,
        number="8",
        order=8,
        title="Redundancy proposals",
        minutes="Hub manager redundancy.",
        confidential=True,
    )
    secret_decision = DecisionFactory(item=secret, number=1, text="To pay redundancy of £40k.")
    draft = MeetingFactory(board=board, status=Meeting.Status.MINUTES_DRAFTED)
    draft_item = AgendaItemFactory(meeting=draft, title="Draft matter", minutes="Not yet agreed.")
    fund = FundFactory(board=board, name="Transformation Fund")
    FundEntryFactory(fund=fund, kind=FundEntry.Kind.BUDGET, amount=25_000_000)
    recipient = OrganisationFactory(name="Swindon Borough Council")
    grant = FundEntryFactory(
        fund=fund,
        kind=FundEntry.Kind.ALLOCATION,
        amount=2_500_000,
        decision=decision,
        recipient=recipient,
        purpose="Data sharing officer",
    )
    FundEntryFactory(
        fund=fund, kind=FundEntry.Kind.ALLOCATION, amount=4_000_000, decision=secret_decision
    )
    FundEntryFactory(
        fund=fund,
        kind=FundEntry.Kind.ALLOCATION,
        amount=100_000,
        decision=DecisionFactory(item=draft_item),
    )
    return {"meeting": meeting, "public": public, "secret": secret, "grant": grant}


def get(path):
    response = APIClient().get(path)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_publishes_ocd_events_of_approved_minutes_to_anyone(board, published):
    events = get(f"/api/open/{board.slug}/ocd-events/")["results"]
    assert len(events) == 1
    event = events[0]
    assert event["name"] == board.name
    assert event["start_date"].startswith("2014-03-18T14:00:00")
    assert event["location"]["name"] == "Civic Offices, Euclid Street, Swindon"
    assert {"name": "Gavin Jones", "entity_type": "person", "note": "present"} in event[
        "participants"
    ]
    assert event["agenda"] == [
        {
            "order": "1",
            "description": "4. Data sharing protocol",
            "classification": [],
            "subjects": [],
            "notes": ["John presented the protocol.", "(1) Agreed: To fund a data officer."],
            "related_entities": [],
            "media": [],
        }
    ]


def test_it_leaves_confidential_and_unapproved_content_out_of_every_export(board, published):
    for path in ("ocd-events", "oparl", "360giving"):
        text = APIClient().get(f"/api/open/{board.slug}/{path}/").content.decode()
        for secret in ("Redundancy", "redundancy", "Draft matter", "Not yet agreed", "£40k"):
            assert secret not in text, (path, secret)


def test_oparl_marks_each_item_public_or_not(board, published):
    body = get(f"/api/open/{board.slug}/oparl/")
    assert body["type"] == "https://schema.oparl.org/1.1/Organization"
    (meeting,) = body["meeting"]
    assert meeting["type"] == "https://schema.oparl.org/1.1/Meeting"
    assert meeting["participant"] == ["Gavin Jones"]
    public, exempt = meeting["agendaItem"]
    assert public["public"] is True
    assert public["name"] == "Data sharing protocol"
    assert public["number"] == "4"
    assert public["resolutionText"] == "(1) To fund a data officer."
    assert exempt == {
        "type": "https://schema.oparl.org/1.1/AgendaItem",
        "id": exempt["id"],
        "meeting": meeting["id"],
        "number": "8",
        "order": 8,
        "public": False,
        "name": "Exempt item",
    }


def test_it_publishes_allocations_in_the_360giving_shape(board, published):
    grants = get(f"/api/open/{board.slug}/360giving/")["grants"]
    assert len(grants) == 1
    grant = grants[0]
    assert grant["Identifier"] == f"360G-minutebook-{board.slug}-{published['grant'].pk}"
    assert grant["Title"] == "Data sharing officer"
    assert grant["Amount Awarded"] == 25000.0
    assert grant["Currency"] == "GBP"
    assert grant["Award Date"] == "2014-03-18"
    assert grant["Recipient Org:Name"] == "Swindon Borough Council"
    assert grant["Funding Org:Name"] == board.name
    assert grant["Grant Programme:Title"] == "Transformation Fund"


def test_a_reversed_allocation_is_not_published(board, published):
    grant = published["grant"]
    FundEntryFactory(
        fund=grant.fund,
        kind=FundEntry.Kind.ALLOCATION,
        amount=-grant.amount,
        decision=grant.decision,
        reverses=grant,
    )
    assert get(f"/api/open/{board.slug}/360giving/")["grants"] == []


def test_an_unknown_board_is_not_found(db):
    assert APIClient().get("/api/open/no-such-board/oparl/").status_code == 404


def test_it_offers_the_allocations_as_a_360giving_spreadsheet(client, board, published):
    response = client.get(f"/api/open/{board.slug}/360giving.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, row = response.content.decode().strip().splitlines()
    assert header.startswith("Identifier,Title,Description,Currency,Amount Awarded,Award Date")
    assert "Swindon Borough Council" in row
    assert "25000.0" in row
