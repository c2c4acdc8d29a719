from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actions.models import Action
from boards.models import Board, Person
from funding.models import Fund
from meetings.models import AgendaItem, Decision, Meeting


class BoardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Board
        fields = ["id", "name", "slug", "description", "parent", "quorum", "default_venue"]


class MeetingSerializer(serializers.ModelSerializer):
    board_slug = serializers.SlugRelatedField(source="board", slug_field="slug", read_only=True)
    name = serializers.CharField(source="display_title", read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "board",
            "board_slug",
            "name",
            "starts_at",
            "ends_at",
            "venue",
            "kind",
            "status",
            "purpose",
            "approved_at",
            "approved_on",
            "web_url",
        ]


class AgendaItemSerializer(serializers.ModelSerializer):
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "parent",
            "number",
            "order",
            "title",
            "minutes",
            "confidential",
            "follows",
            "web_url",
        ]

    def get_web_url(self, item) -> str:
        return f"{item.meeting.get_absolute_url()}#item-{item.pk}"


class DecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "item", "meeting", "kind", "number", "text", "approves"]


class OwnerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name"]


class ActionSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    owners = OwnerSerializer(many=True, read_only=True)
    owner_label = serializers.CharField(read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "item",
            "meeting",
            "decision",
            "text",
            "owners",
            "whole_board",
            "owner_label",
            "due_on",
            "status",
            "created_at",
            "closed_at",
        ]


class BalanceSerializer(serializers.Serializer):
    """Pence; available = budget - allocated + released + recovered + transfers."""

    budget = serializers.IntegerField()
    allocated = serializers.IntegerField()
    released = serializers.IntegerField()
    recovered = serializers.IntegerField()
    transfers = serializers.IntegerField()
    available = serializers.IntegerField()
    spent = serializers.IntegerField()


class FundSerializer(serializers.ModelSerializer):
    balance = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = ["id", "name", "board", "kind", "currency", "description", "balance"]

    @extend_schema_field(BalanceSerializer)
    def get_balance(self, fund) -> dict:
        return BalanceSerializer(fund.balance).data
