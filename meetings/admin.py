from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgendaItem, Amendment, Attendance, Decision, Declaration, Meeting, Paper


def meeting_of(obj) -> Meeting | None:
    """The meeting whose minutes a row belongs to (the row itself for a meeting)."""
    if isinstance(obj, Meeting):
        return obj
    if getattr(obj, "meeting_id", None):  # items, attendance, declarations
        return obj.meeting
    item = getattr(obj, "item", None)  # decisions, papers, actions
    return item.meeting if item is not None else None


class FrozenReadOnly:
    """Approved minutes are the record: the admin shows them and changes nothing (an
    amendment, with its reason, is made on the meeting screen). For a ModelAdmin `obj` is
    the row; for an inline it is the parent row: both lead to the meeting."""

    def _frozen(self, obj) -> bool:
        meeting = meeting_of(obj) if obj is not None else None
        return meeting is not None and meeting.is_frozen

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class FrozenInline(FrozenReadOnly):
    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)


class AttendanceInline(FrozenInline, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person", "representing", "substitute_for"]
    exclude = ["joined_at_item", "left_at_item"]


class AgendaItemInline(FrozenInline, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["number", "title", "order", "confidential"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(FrozenReadOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "board", "starts_at", "kind", "status", "venue"]
    list_filter = ["board", "kind", "status"]
    search_fields = ["title", "board__name", "venue"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["board", "approved_at"]
    list_select_related = ["board"]
    inlines = [AttendanceInline, AgendaItemInline]


class DecisionInline(FrozenInline, admin.TabularInline):
    model = Decision
    extra = 0
    exclude = ["approves"]


class PaperInline(FrozenInline, admin.TabularInline):
    model = Paper
    extra = 0
    fields = ["title", "file", "content_type", "size"]
    readonly_fields = ["content_type", "size"]


@admin.register(AgendaItem)
class AgendaItemAdmin(FrozenReadOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "confidential", "updated_at"]
    list_filter = ["confidential", "meeting__board"]
    search_fields = ["title", "minutes", "meeting__board__name"]
    autocomplete_fields = ["meeting", "presenters", "parent", "follows"]
    list_select_related = ["meeting__board"]
    inlines = [DecisionInline, PaperInline]


@admin.register(Decision)
class DecisionAdmin(FrozenReadOnly, SimpleHistoryAdmin):
    list_display = ["label", "kind", "text", "item"]
    list_filter = ["kind", "item__meeting__board"]
    search_fields = ["text", "item__title"]
    autocomplete_fields = ["item", "approves"]
    list_select_related = ["item__meeting__board"]


@admin.register(Attendance)
class AttendanceAdmin(FrozenReadOnly, SimpleHistoryAdmin):
    list_display = ["person", "meeting", "status", "substitute_for"]
    list_filter = ["status", "meeting__board"]
    search_fields = ["person__name"]
    autocomplete_fields = ["meeting", "person", "representing", "substitute_for"]
    list_select_related = ["person", "meeting__board", "substitute_for"]


@admin.register(Declaration)
class DeclarationAdmin(FrozenReadOnly, admin.ModelAdmin):
    list_display = ["person", "meeting", "item", "nature"]
    search_fields = ["person__name", "nature"]
    autocomplete_fields = ["meeting", "person", "item"]


@admin.register(Paper)
class PaperAdmin(FrozenReadOnly, admin.ModelAdmin):
    list_display = ["title", "item", "content_type", "size", "uploaded_at"]
    search_fields = ["title"]
    autocomplete_fields = ["item"]


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["meeting", "item", "field", "by", "at"]
    search_fields = ["reason", "after"]
    readonly_fields = ["meeting", "item", "field", "before", "after", "reason", "by", "at"]
