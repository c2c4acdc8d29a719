"""Filters by id as plain numbers: an id outside the caller's boards gives an empty list,
never a "no such choice" error that would tell them the board exists."""

import datetime as dt

import django_filters as filters
from django import forms

from actions.models import Action
from boards.models import Board
from funding.models import Fund
from meetings.models import AgendaItem, Decision, Meeting


class IdFilter(filters.NumberFilter):
    """A whole number the database can hold: a huge one is a 400, never a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class MomentFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 moment, compared in UTC: Python accepts offsets up to ±23:59 but
    PostgreSQL only ±15:59, and "-17:14" must be a valid time, not a 500."""

    def filter(self, qs, value):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return super().filter(qs, value)


class BoardFilter(filters.FilterSet):
    parent = IdFilter(field_name="parent_id")

    class Meta:
        model = Board
        fields = ["parent"]


class MeetingFilter(filters.FilterSet):
    board = IdFilter(field_name="board_id")
    starts_after = MomentFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = MomentFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Meeting
        fields = ["board", "status", "kind"]


class AgendaItemFilter(filters.FilterSet):
    meeting = IdFilter(field_name="meeting_id")
    follows = IdFilter(field_name="follows_id")

    class Meta:
        model = AgendaItem
        fields = ["meeting", "confidential", "follows"]


class DecisionFilter(filters.FilterSet):
    item = IdFilter(field_name="item_id")
    meeting = IdFilter(field_name="item__meeting_id")

    class Meta:
        model = Decision
        fields = ["item", "meeting", "kind"]


class ActionFilter(filters.FilterSet):
    item = IdFilter(field_name="item_id")
    meeting = IdFilter(field_name="item__meeting_id")
    board = IdFilter(field_name="item__meeting__board_id")

    class Meta:
        model = Action
        fields = ["item", "meeting", "board", "status"]


class FundFilter(filters.FilterSet):
    board = IdFilter(field_name="board_id")

    class Meta:
        model = Fund
        fields = ["board", "kind"]
