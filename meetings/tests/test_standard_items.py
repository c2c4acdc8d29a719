import datetime as dt

import pytest
from django.utils import timezone

from meetings.services import STANDARD_ITEMS, create_meeting

pytestmark = pytest.mark.django_db


def test_it_starts_a_meeting_with_the_usual_items(board):
    meeting = create_meeting(board=board, starts_at=timezone.now() + dt.timedelta(days=7))
    assert [i.title for i in meeting.items.all()] == STANDARD_ITEMS


def test_it_uses_the_boards_own_standard_items(board):
    board.standard_items = "Welcome\n\nDeclarations of interest\nMatters arising\n"
    board.save()
    meeting = create_meeting(board=board, starts_at=timezone.now() + dt.timedelta(days=7))
    assert [(i.number, i.title) for i in meeting.items.all()] == [
        ("1", "Welcome"),
        ("2", "Declarations of interest"),
        ("3", "Matters arising"),
    ]
