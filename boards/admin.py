from django.contrib import admin

from .models import Board, Membership, Organisation, Person


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name", "short_name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "representing"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "email", "user", "left_on"]
    list_filter = ["organisation", "left_on"]
    search_fields = ["name", "email", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["organisation", "user"]
    list_select_related = ["organisation", "user"]
    exclude = ["calendar_token"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "chair", "secretary", "quorum"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "chair", "secretary"]
    list_select_related = ["parent", "chair", "secretary"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "board", "role", "representing", "started_on", "ended_on"]
    list_filter = ["board", "role", "representing"]
    search_fields = ["person__name", "board__name"]
    autocomplete_fields = ["person", "board", "representing"]
    list_select_related = ["person", "board", "representing"]
