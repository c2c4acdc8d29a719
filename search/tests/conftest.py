import datetime as dt

import pytest
from django.utils import timezone

from actions.tests.factories import ActionFactory
from boards.models import Membership
from boards.tests.factories import MembershipFactory, PersonFactory
from meetings.tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory

from .factories import PaperFactory


@pytest.fixture
def march(board):
    return MeetingFactory(
        board=board, starts_at=timezone.make_aware(dt.datetime(2014, 3, 18, 14, 0))
    )


@pytest.fixture
def january(board):
    return MeetingFactory(
        board=board, starts_at=timezone.make_aware(dt.datetime(2013, 1, 15, 9, 30))
    )


@pytest.fixture
def record(march, january):
    """A small record: a public matter about data sharing and a confidential one."""
    data_item = AgendaItemFactory(
        meeting=march,
        number="4",
        title="Data sharing protocol",
        minutes="John presented the protocol to share data between partners.",
    )
    decision = DecisionFactory(item=data_item, text="To adopt the information protocol.")
    action = ActionFactory(item=data_item, text="Appoint a data officer for Wiltshire.")
    paper = PaperFactory(item=data_item, title="Protocol for partners")
    mention = AgendaItemFactory(
        meeting=january,
        number="2",
        title="Honda update",
        minutes="Partners agreed in passing that data could be shared later.",
    )
    secret = AgendaItemFactory(
        meeting=march,
        number="8",
        title="Redundancy proposals",
        minutes="The Board discussed redundancy of the Hub manager. Data sharing cost.",
        confidential=True,
    )
    secret_decision = DecisionFactory(item=secret, text="To consult on redundancy.")
    secret_action = ActionFactory(item=secret, text="Write to staff about redundancy.")
    secret_paper = PaperFactory(item=secret, title="Redundancy costs")
    return {
        "data_item": data_item,
        "decision": decision,
        "action": action,
        "paper": paper,
        "mention": mention,
        "secret": secret,
        "secret_decision": secret_decision,
        "secret_action": secret_action,
        "secret_paper": secret_paper,
    }


@pytest.fixture
def granted_observer(board):
    person = PersonFactory(name="Gita Granted")
    MembershipFactory(
        person=person, board=board, role=Membership.Role.OBSERVER, sees_confidential=True
    )
    return person
