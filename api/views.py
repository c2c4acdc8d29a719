"""The read API: each list is the caller's boards only, confidential items only where the
caller may read them – the same answers the pages give. Anything else is a 404."""

import csv
from collections.abc import Callable

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.models import Action
from boards.models import Board, Person
from boards.permissions import reach_of
from boards.spreadsheets import spreadsheet_cell
from funding.models import Fund
from meetings.models import AgendaItem, Decision, Meeting

from . import filters, open_data, serializers
from .pagination import NewestFirst


class BoardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.BoardSerializer
    filterset_class = filters.BoardFilter

    def get_queryset(self):
        return Board.objects.filter(pk__in=reach_of(self.request.user).boards).order_by("name")


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = NewestFirst
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter

    def get_queryset(self):
        reach = reach_of(self.request.user)
        return Meeting.objects.visible_to(reach).select_related("board")


class AgendaItemViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = NewestFirst
    serializer_class = serializers.AgendaItemSerializer
    filterset_class = filters.AgendaItemFilter

    def get_queryset(self):
        reach = reach_of(self.request.user)
        return AgendaItem.objects.visible_to(reach).select_related("meeting")


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = NewestFirst
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter

    def get_queryset(self):
        reach = reach_of(self.request.user)
        return Decision.objects.visible_to(reach).select_related("item")


class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = NewestFirst
    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter

    def get_queryset(self):
        reach = reach_of(self.request.user)
        return (
            Action.objects.visible_to(reach)
            .select_related("item")
            .prefetch_related(Prefetch("owners", queryset=Person.objects.order_by("name")))
        )


class FundViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.FundSerializer
    filterset_class = filters.FundFilter

    def get_queryset(self):
        reach = reach_of(self.request.user)
        return Fund.objects.filter(board__in=reach.boards).with_balances().order_by("name", "pk")


class OpenDataView(APIView):
    """Published records of one board, for anyone: approved minutes, public items only."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    shape: Callable

    def get(self, request, slug):
        board = get_object_or_404(Board, slug=slug)
        return Response(self.shape(board, request.build_absolute_uri))


@extend_schema(
    summary="Meetings in the Open Civic Data Event shape", responses={200: OpenApiTypes.OBJECT}
)
class OcdEventsView(OpenDataView):
    def shape(self, board, absolute):
        return {"results": open_data.ocd_events(board, absolute)}


@extend_schema(
    summary="Meetings and agenda items, OParl-like", responses={200: OpenApiTypes.OBJECT}
)
class OparlView(OpenDataView):
    def shape(self, board, absolute):
        return open_data.oparl_body(board, absolute)


@extend_schema(summary="Allocations in the 360Giving shape", responses={200: OpenApiTypes.OBJECT})
class GivingView(OpenDataView):
    def shape(self, board, absolute):
        return {"grants": open_data.giving_grants(board)}


def giving_csv(request, slug):
    """The same allocations as a 360Giving spreadsheet (CSV), the form most publishers use."""
    board = get_object_or_404(Board, slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{board.slug}-360giving.csv"'
    writer = csv.DictWriter(response, fieldnames=open_data.GIVING_COLUMNS)
    writer.writeheader()
    writer.writerows(
        {column: spreadsheet_cell(value) for column, value in grant.items()}
        for grant in open_data.giving_grants(board)
    )
    return response
