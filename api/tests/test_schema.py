"""schemathesis: every operation of the OpenAPI schema, fuzzed, answers without a 5xx."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from actions.tests.factories import ActionFactory
from config.wsgi import application
from funding.tests.factories import FundEntryFactory
from meetings.tests.factories import AgendaItemFactory, MeetingFactory


@pytest.fixture
def token(member, board):
    meeting = MeetingFactory(board=board)
    ActionFactory(item=AgendaItemFactory(meeting=meeting))
    AgendaItemFactory(meeting=meeting, confidential=True)
    FundEntryFactory(fund__board=board)
    return AuthToken.objects.create(user=member.user)[1]


# Loaded at collection: building the schema needs no database.
@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's test client does this too: a request's end must not close the connection
    that holds the test's transaction (it would, on PostgreSQL, as not autocommitting)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_it_never_answers_with_a_server_error(case, token):
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
