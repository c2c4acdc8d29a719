from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.admin import FrozenReadOnly

from .models import Action, ActionUpdate, Reminder, ReminderPlanFailure


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    autocomplete_fields = ["by", "meeting"]


@admin.register(Action)
class ActionAdmin(FrozenReadOnly, SimpleHistoryAdmin):
    # Text, owners and due date are part of approved minutes: amend them on the action page.
    list_display = ["text", "board_name", "due_on", "status", "whole_board"]
    list_filter = ["status", "whole_board", "board"]
    search_fields = ["text", "owners__name", "item__title"]
    autocomplete_fields = ["item", "decision", "owners"]
    list_select_related = ["board"]
    date_hierarchy = "due_on"
    inlines = [ActionUpdateInline]

    @admin.display(description="Board", ordering="board__name")
    def board_name(self, action):
        return action.board.name


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "kind", "by", "at", "meeting"]
    list_filter = ["kind"]
    search_fields = ["text", "action__text"]
    autocomplete_fields = ["action", "by", "meeting"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = [
        "action",
        "person",
        "kind",
        "scheduled_on",
        "status",
        "attempts",
        "sent_at",
        "failed_at",
    ]
    list_filter = ["status", "kind", "scheduled_on"]
    search_fields = ["person__name", "action__text"]
    autocomplete_fields = ["action", "person"]
    list_select_related = ["action", "person"]


@admin.register(ReminderPlanFailure)
class ReminderPlanFailureAdmin(admin.ModelAdmin):
    """Actions the last reminder pass could not plan, with the error: for staff to fix."""

    list_display = ["action", "failed_at", "error"]
    search_fields = ["action__text", "error"]
    list_select_related = ["action"]
    readonly_fields = ["action", "error", "failed_at"]
