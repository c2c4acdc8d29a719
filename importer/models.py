"""An import of old minutes: the file, what the parser read, and what came of it."""

from django.db import models
from django.urls import reverse

from boards.models import Board, Person
from meetings.models import Meeting


class MinutesImportQuerySet(models.QuerySet):
    def same_document(self, *, board: Board, content_hash: str):
        """Imports of this very document on this board that were not cancelled."""
        return self.filter(board=board, content_hash=content_hash).exclude(
            status=MinutesImport.Status.CANCELLED
        )


class MinutesImport(models.Model):
    class Status(models.TextChoices):
        PARSED = "parsed", "Parsed, awaiting review"
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="minutes_imports")
    # Stored through default_storage (FileField), so S3 settings work unchanged.
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    source_text = models.TextField(blank=True, help_text="The document as text, as read")
    parsed = models.JSONField(default=dict, help_text="importer.parse.ParsedMeeting as JSON")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PARSED)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # sha256 of the file's bytes (or of the pasted text): the same document twice.
    content_hash = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = MinutesImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(meeting__isnull=False),
                name="minutes_import_confirmed_has_meeting",
            )
        ]

    def __str__(self):
        return f"{self.original_name or 'Pasted minutes'} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("importer:review", args=[self.pk])
