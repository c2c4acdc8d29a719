"""The chair's "Note of Meeting" as a PDF (WeasyPrint), cached by what it shows.

The HTML is rendered first (fast, a few queries); its hash names the cached file. A PDF is
rendered only when no file carries that hash, so an unchanged export is a file read.
Rendering never touches the network: fonts and CSS come from static files on disk.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import threading
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from boards.models import Person
from boards.permissions import Reach

from .models import (
    AgendaItem,
    Amendment,
    AmendmentProposal,
    Attendance,
    Declaration,
    Meeting,
    Paper,
    decisions_with_votes,
)
from .people import presence_notes

# Bump when the template or CSS changes in a way the hash of the HTML would not see.
LAYOUT_VERSION = "1"
CACHE_DIR = "pdf-cache"
# The standard closing item (meetings.services.STANDARD_ITEMS): under it the minutes give
# the next meeting's date, so it is not printed a second time after the last item.
NEXT_MEETING_TITLE = "date of next meeting"
BASE_URL = "file:///"  # "/static/css/pdf.css" resolves to file:///static/css/pdf.css
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


class StaticFileFetcher(URLFetcher):
    """Reads /static/ files from disk; refuses every other URL, so a render never leaves
    the machine (no http, no file outside the static folders, no data smuggled in)."""

    def __init__(self):
        # A stylesheet or font that cannot be read stops the render: an unstyled PDF
        # must never reach the cache looking like the real thing.
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        static = settings.STATIC_URL
        if parts.scheme != "file" or parts.netloc or not parts.path.startswith(static):
            raise ValueError(f"The PDF may only use the app's static files, not {url!r}.")
        relative = unquote(parts.path[len(static) :])
        found = finders.find(relative)  # safe_join inside: "../" cannot escape
        if not found:
            raise FileNotFoundError(f"No static file {relative!r}.")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=Path(found).read_bytes(), headers={"Content-Type": content_type}
        )


@dataclass(frozen=True)
class MinutesDocument:
    """The minutes as HTML, and the cache key naming the PDF of exactly that HTML."""

    meeting: Meeting
    public: bool
    html: str

    @property
    def key(self) -> str:
        return content_key(self.html)

    @property
    def filename(self) -> str:
        day = timezone.localtime(self.meeting.starts_at).strftime("%Y-%m-%d")
        suffix = "-public" if self.public else ""
        return f"{self.meeting.board.slug}-{day}-minutes{suffix}.pdf"


def content_key(html: str) -> str:
    """What the PDF shows, hashed: the HTML (minutes, attendance, status, copy) and CSS."""
    digest = hashlib.sha256()
    for part in (LAYOUT_VERSION, _static_fingerprint(), html):
        digest.update(part.encode())
    return digest.hexdigest()


def _static_fingerprint() -> str:
    """The CSS decides what the PDF shows too: its bytes are part of the key."""
    css = finders.find("css/pdf.css")
    return hashlib.sha256(Path(css).read_bytes()).hexdigest() if css else ""


# --- what the minutes show ---------------------------------------------------------------


def attendance_line(attendances) -> str:
    """ "David Renard, Stan Pajak and Jim Grant (SBC), Heather Mitchell (SEQOL)": runs of
    people from one organisation share their brackets, as the sample minutes print them."""
    groups: list[tuple[str, list[str]]] = []
    for attendance in attendances:
        person = attendance.person
        label = (
            (attendance.representing and attendance.representing.label)
            or (person.organisation and person.organisation.label)
            or person.role_title
        )
        name = person.display_name
        if attendance.substitute_for_id:
            name = f"{name} (for {attendance.substitute_for.display_name})"
        if attendance.role:
            name = f"{name} {attendance.role_label}"
        if groups and groups[-1][0] == label and label:
            groups[-1][1].append(name)
        else:
            groups.append((label, [name]))
    parts = []
    for label, names in groups:
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"{joined} ({label})" if label else joined)
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def minutes_context(meeting: Meeting, *, public: bool) -> dict:
    """Everything the template prints, fetched up front: the template runs no query."""
    meeting = Meeting.objects.select_related("board__chair", "approved_at").get(pk=meeting.pk)
    attendances = (
        Attendance.objects.filter(meeting=meeting)
        .select_related(
            "person__organisation",
            "representing",
            "substitute_for",
            "joined_at_item",
            "left_at_item",
        )
        .order_by("order", "person__name")
    )
    by_status: dict[str, list] = {}
    for attendance in attendances:
        by_status.setdefault(attendance.status, []).append(attendance)
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("meeting")
        .order_by("order", "pk")
        .prefetch_related(
            decisions_with_votes(),
            "papers",
            # the ACTION column: actions reach meetings only through this reverse relation
            Prefetch("actions__owners", queryset=Person.objects.order_by("name")),
        )
    )
    # The copy is made for a reader: the members' copy or the public one.
    reach = Reach.copy_of(meeting.board_id, confidential=not public)
    for item in items:
        item.private = not reach.sees(item)
        loose = [a for a in item.actions.all() if not a.decision_id]
        by_decision: dict[int, list] = {}
        for action in item.actions.all():
            if action.decision_id:
                by_decision.setdefault(action.decision_id, []).append(action)
        item.decision_rows = [(d, by_decision.pop(d.pk, [])) for d in item.decisions.all()]
        # an action whose decision belongs elsewhere still shows, beside its own text
        item.loose_actions = loose + [a for rest in by_decision.values() for a in rest]
        item.is_next_meeting_item = item.title.strip().lower() == NEXT_MEETING_TITLE
    declarations = list(
        Declaration.objects.filter(meeting=meeting).select_related("person", "item__meeting")
    )
    left_for: dict[int, list] = {}
    for declaration in declarations:
        # one on an item the copy leaves out says only that an interest was declared
        declaration.private = declaration.item is not None and not reach.sees(declaration.item)
        if declaration.left_room and declaration.item_id:
            left_for.setdefault(declaration.item_id, []).append(declaration)
    for item in items:
        # "X declared an interest (…) and left the meeting for this item", at the item
        item.left_room_declarations = left_for.get(item.pk, [])
    amendments = list(
        Amendment.objects.filter(meeting=meeting)
        .select_related("item__meeting", "by")
        .order_by("at", "pk")
    )
    for amendment in amendments:
        # the public copy says an exempt item was amended, not how
        amendment.private = amendment.item is not None and not reach.sees(amendment.item)
    # Members' corrections accepted into the draft: the approved copy lists them.
    accepted = list(
        AmendmentProposal.objects.filter(
            item__meeting=meeting, status=AmendmentProposal.Status.ACCEPTED
        )
        .visible_to(reach)
        .select_related("item", "proposer")
        .order_by("decided_at", "pk")
    )
    next_meeting = (
        Meeting.objects.filter(board=meeting.board, starts_at__gt=meeting.starts_at)
        .order_by("starts_at")
        .first()
    )
    return {
        "meeting": meeting,
        "board": meeting.board,
        "public": public,
        "heading": "Note of Meeting"
        if meeting.kind == Meeting.Kind.ORDINARY
        else meeting.get_kind_display(),
        "present": attendance_line(by_status.get(Attendance.Status.PRESENT, [])),
        "apologies": attendance_line(by_status.get(Attendance.Status.APOLOGIES, [])),
        "in_attendance": attendance_line(by_status.get(Attendance.Status.IN_ATTENDANCE, [])),
        "presence_notes": presence_notes(attendances),
        "items": items,
        "show_corrections": meeting.corrections_visible_to(reach),
        "declarations": declarations,
        "next_meeting": next_meeting,
        "next_meeting_item": any(item.is_next_meeting_item for item in items),
        "approved": meeting.is_frozen and meeting.approved_on is not None,
        "amendments": amendments,
        "accepted_proposals": accepted,
    }


def minutes_document(meeting: Meeting, *, public: bool) -> MinutesDocument:
    html = render_to_string("meetings/pdf/minutes.html", minutes_context(meeting, public=public))
    return MinutesDocument(meeting=meeting, public=public, html=html)


# --- rendering and the cache -------------------------------------------------------------


_fonts = threading.local()


def font_configuration() -> FontConfiguration:
    """One font configuration per thread, kept for the process's life. A new one per
    render loaded every system font into a fresh Fontconfig and Pango font map that were
    never given back (about 0.3 MB a render); kept, the @font-face files are added once.
    Per thread, because a Pango font map may not be shared between threads."""
    if getattr(_fonts, "config", None) is None:
        _fonts.config = FontConfiguration()
    return _fonts.config


def html_to_pdf(html: str, **options) -> bytes:
    """One WeasyPrint render, tagged for screen readers (PDF/UA-1), offline."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher()).write_pdf(
        font_config=font_configuration(), **{**PDF_OPTIONS, **options}
    )


def cache_storage():
    """The PDF cache: a folder under MEDIA_ROOT, or the bucket every server shares
    (STORAGES["pdf_cache"]); nothing here touches a disk path itself."""
    return storages["pdf_cache"]


def cache_name(key: str, ext: str = "pdf") -> str:
    return f"{CACHE_DIR}/{key}.{ext}"


def is_cached(key: str, ext: str = "pdf") -> bool:
    return cache_storage().exists(cache_name(key, ext))


def _replace(name: str, data: bytes) -> None:
    """Store under exactly this name. The configured backends replace in one step (a
    rename on disk, one PUT in a bucket); any other is cleared first."""
    storage = cache_storage()
    if not getattr(storage, "file_overwrite", False) and storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(data))


def store_pdf(key: str, pdf: bytes, ext: str = "pdf") -> str:
    """Store the file under its key; a reader never sees half a file and two writers agree."""
    _replace(cache_name(key, ext), pdf)
    return cache_name(key, ext)


def prune_cache(*, older_than) -> int:
    """Delete cache files (PDFs, progress, half-written parts) last written before then."""
    storage = cache_storage()
    try:
        _, names = storage.listdir(CACHE_DIR)
    except FileNotFoundError:  # nothing cached yet
        return 0
    removed = 0
    for name in names:
        path = f"{CACHE_DIR}/{name}"
        if storage.get_modified_time(path) < older_than:
            storage.delete(path)
            removed += 1
    return removed


@dataclass(frozen=True)
class CachedPdf:
    name: str  # in cache_storage()
    filename: str
    key: str
    fresh: bool  # rendered just now because no file had this key

    def open(self):
        return cache_storage().open(self.name, "rb")

    def read(self) -> bytes:
        with self.open() as handle:
            return handle.read()


def pdf_for_html(html: str, filename: str) -> CachedPdf:
    """The stored PDF of this HTML; rendered only if no file carries its hash yet."""
    key = content_key(html)
    fresh = not is_cached(key)
    if fresh:
        store_pdf(key, html_to_pdf(html))
    return CachedPdf(name=cache_name(key), filename=filename, key=key, fresh=fresh)


def build_minutes_pdf(meeting: Meeting, *, public: bool) -> CachedPdf:
    """The stored PDF of the minutes as they stand; renders only if none exists yet."""
    document = minutes_document(meeting, public=public)
    return pdf_for_html(document.html, document.filename)


def render_minutes_pdf(meeting: Meeting, *, public: bool) -> bytes:
    """A fresh render, bypassing the cache (the shell command and the benchmark)."""
    return html_to_pdf(minutes_document(meeting, public=public).html)


# --- the agenda pack: the agenda, then every PDF paper, one bookmark each --------------


def _is_pdf(paper: Paper) -> bool:
    return paper.content_type == "application/pdf" or paper.file.name.lower().endswith(".pdf")


@dataclass(frozen=True)
class AgendaPack:
    """What a pack holds; its key names the cached file and its progress."""

    meeting: Meeting
    public: bool
    html: str
    papers: list  # [(item, paper)] in agenda order, PDF papers only

    @property
    def key(self) -> str:
        # a replaced paper file changes the pack even when its title does not
        files = "".join(f"{p.pk}:{p.file.name}:{p.size}:{p.uploaded_at}|" for _, p in self.papers)
        return "pack-" + content_key(self.html + files)

    @property
    def filename(self) -> str:
        day = timezone.localtime(self.meeting.starts_at).strftime("%Y-%m-%d")
        suffix = "-public" if self.public else ""
        return f"{self.meeting.board.slug}-{day}-agenda-pack{suffix}.pdf"


def agenda_pack(meeting: Meeting, *, public: bool) -> AgendaPack:
    """The pack as the agenda now stands; papers of confidential items only in the
    members' pack."""
    meeting = Meeting.objects.select_related("board").get(pk=meeting.pk)
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("meeting")
        .order_by("order", "pk")
        .prefetch_related("presenters", Prefetch("papers", queryset=Paper.objects.order_by("pk")))
    )
    papers = []
    reach = Reach.copy_of(meeting.board_id, confidential=not public)
    for item in items:
        item.private = not reach.sees(item)
        if not item.private:
            papers += [(item, paper) for paper in item.papers.all() if _is_pdf(paper)]
    html = render_to_string(
        "meetings/pdf/agenda.html",
        {
            "meeting": meeting,
            "board": meeting.board,
            "items": items,
            "public": public,
            "has_papers": bool(papers),
        },
    )
    return AgendaPack(meeting=meeting, public=public, html=html, papers=papers)


def progress_name(key: str) -> str:
    return f"{CACHE_DIR}/{key}.progress.json"


def read_progress(key: str, ext: str = "pdf") -> dict:
    """{"state": "missing" | "queued" | "running" | "done" | "failed", "done", "total", ...}"""
    try:
        with cache_storage().open(progress_name(key), "rb") as handle:
            progress = json.loads(handle.read())
    except (FileNotFoundError, ValueError):
        progress = {"state": "missing", "done": 0, "total": 0}
    if is_cached(key, ext):  # built, perhaps by another process: done whatever it said
        progress.update(state="done", done=progress.get("total") or 1)
    progress["percent"] = int(100 * progress["done"] / (progress.get("total") or 1))
    return progress


def write_progress(key: str, **progress) -> None:
    """A small file beside the cache, so any web process can report a worker's progress."""
    _replace(progress_name(key), json.dumps(progress).encode())


def agenda_pack_bytes(pack: AgendaPack, report) -> bytes:
    """Render the agenda, append each PDF paper with a bookmark; report each step
    (meetings.builds runs it in the background and stores the file).

    A paper that is not a readable PDF is left out with a note, not the whole pack."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    # The pack is the tagged agenda (its structure tree, language and marks kept whole),
    # with the papers' pages added after it as their authors made them.
    writer = PdfWriter(clone_from=BytesIO(html_to_pdf(pack.html)))
    writer.root_object.pop("/Outlines", None)  # one bookmark for the agenda, not its headings
    writer.add_outline_item(title="Agenda", page_number=0)
    report(1)
    skipped = []
    for done, (item, paper) in enumerate(pack.papers, start=2):
        label = f"{item.number}. {paper.title}" if item.number else paper.title
        try:
            with paper.file.open("rb") as handle:
                writer.append(
                    PdfReader(BytesIO(handle.read())), outline_item=label, import_outline=False
                )
        except (OSError, PdfReadError, ValueError):
            skipped.append(label)
        report(done, skipped=skipped)
    writer.page_mode = "/UseOutlines"  # the bookmarks open beside the pages
    writer.add_metadata(
        {
            "/Title": f"{pack.meeting.board.name}: agenda pack, "
            f"{timezone.localtime(pack.meeting.starts_at):%-d %B %Y}"
        }
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
