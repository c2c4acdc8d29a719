from django.contrib import admin

from .models import Bid, BidLine, Fund, FundEntry, SavingsEstimate
from .money import format_money


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "board", "kind"]
    list_filter = ["board", "kind"]
    search_fields = ["name"]
    autocomplete_fields = ["board"]


@admin.register(FundEntry)
class FundEntryAdmin(admin.ModelAdmin):
    """Ledger lines may be added here, never changed or deleted."""

    list_display = ["entered_on", "fund", "kind", "amount_display", "financial_year", "decision"]
    list_filter = ["fund", "kind", "financial_year"]
    search_fields = ["purpose", "fund__name"]
    autocomplete_fields = ["fund", "decision", "recipient", "lead", "reverses", "transfer_pair"]
    list_select_related = ["fund", "decision"]

    @admin.display(description="Amount", ordering="amount")
    def amount_display(self, entry):
        return format_money(entry.amount)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class BidLineInline(admin.TabularInline):
    model = BidLine
    extra = 0


class SavingsInline(admin.TabularInline):
    model = SavingsEstimate
    extra = 0


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    list_display = ["title", "funder", "status", "board"]
    list_filter = ["status", "board"]
    search_fields = ["title", "funder", "programme"]
    autocomplete_fields = ["board", "fund"]
    inlines = [BidLineInline, SavingsInline]
