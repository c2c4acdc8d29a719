from django.contrib import admin

from .models import MinutesImport


@admin.register(MinutesImport)
class MinutesImportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "board", "status", "meeting", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["content_hash", "parsed", "source_text", "meeting", "created_by"]
