from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgendaItem, Amendment, Attendance, Decision, Declaration, Meeting, Paper


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person", "representing", "substitute_for"]
    exclude = ["joined_at_item", "left_at_item"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["number", "title", "order", "confidential"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "board", "starts_at", "kind", "status", "venue"]
    list_filter = ["board", "kind", "status"]
    search_fields = ["title", "board__name", "venue"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["board", "approved_at"]
    list_select_related = ["board"]
    inlines = [AttendanceInline, AgendaItemInline]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    exclude = ["approves"]


class PaperInline(admin.TabularInline):
    model = Paper
    extra = 0
    fields = ["title", "file", "content_type", "size"]
    readonly_fields = ["content_type", "size"]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "confidential", "updated_at"]
    list_filter = ["confidential", "meeting__board"]
    search_fields = ["title", "minutes", "meeting__board__name"]
    autocomplete_fields = ["meeting", "presenters", "parent", "follows"]
    list_select_related = ["meeting__board"]
    inlines = [DecisionInline, PaperInline]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["label", "kind", "text", "item"]
    list_filter = ["kind", "item__meeting__board"]
    search_fields = ["text", "item__title"]
    autocomplete_fields = ["item", "approves"]
    list_select_related = ["item__meeting__board"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["person", "meeting", "status", "substitute_for"]
    list_filter = ["status", "meeting__board"]
    search_fields = ["person__name"]
    autocomplete_fields = ["meeting", "person", "representing", "substitute_for"]
    list_select_related = ["person", "meeting__board", "substitute_for"]


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "item", "nature"]
    search_fields = ["person__name", "nature"]
    autocomplete_fields = ["meeting", "person", "item"]


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["title", "item", "content_type", "size", "uploaded_at"]
    search_fields = ["title"]
    autocomplete_fields = ["item"]


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["meeting", "item", "field", "by", "at"]
    search_fields = ["reason", "after"]
    readonly_fields = ["meeting", "item", "field", "before", "after", "reason", "by", "at"]
