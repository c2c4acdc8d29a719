import pytest

from actions.services import update_action
from actions.tests.factories import ActionFactory
from meetings.tests.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


def test_it_shows_what_the_action_said_before_a_change(client_for, board, secretary):
    action = ActionFactory(item=AgendaItemFactory(meeting__board=board), text="Map local spend")
    update_action(action=action, by=secretary, text="Map local spend with procurement leads")
    page = client_for(secretary).get(action.get_absolute_url()).content.decode()
    assert "Change history" in page
    assert "Map local spend</del>" in page
    assert "Map local spend with procurement leads</ins>" in page
