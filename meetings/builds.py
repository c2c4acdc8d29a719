"""Files built in the background with progress, then served from the cache storage: the
agenda pack, the action log's PDF and its spreadsheet. One definition of the cycle:

- a click calls `start(job)`: a build is queued unless the file is stored or one is under
  way, so a second click while it builds starts nothing;
- a worker runs it (`tasks.run_build` → `run`), reporting each step in a progress file;
- the page polls `job.progress()`; the download serves the stored file by its key.

A job's key names what the file holds (a hash of its content, or of the rows it is made
from), so a change makes a new key and a new build, and an unchanged file is a read.
Kinds are registered with `@builder`, so apps above meetings add theirs without meetings
importing them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import pdf
from .models import Meeting

BUILDERS: dict[str, Callable[..., Job]] = {}


def builder(kind: str):
    """Register `fn(**params) -> Job`: the job as the data now stands, from JSON params
    (ids), called by the page to name the file and by the worker to build it."""

    def register(fn):
        BUILDERS[kind] = fn
        return fn

    return register


@dataclass(frozen=True)
class Job:
    kind: str
    key: str
    filename: str
    params: dict  # what BUILDERS[kind] needs again in the worker: ids, never objects
    # make(report) -> the file's bytes; report(done, total=None, **extra) as it goes
    make: Callable[[Callable], bytes] = field(compare=False, repr=False)
    total: int = 1  # steps; 0 when they cannot be counted
    ext: str = "pdf"

    @property
    def name(self) -> str:
        return pdf.cache_name(self.key, self.ext)

    def is_built(self) -> bool:
        return pdf.is_cached(self.key, self.ext)

    def progress(self) -> dict:
        return pdf.read_progress(self.key, self.ext)

    def stored(self) -> pdf.CachedPdf:
        return pdf.CachedPdf(self.name, self.filename, self.key, fresh=False)


def start(job: Job) -> dict:
    """Queue a build unless the file is built or building; return its progress."""
    from .tasks import run_build  # the task module imports this one

    progress = job.progress()
    if progress["state"] in ("missing", "failed"):
        pdf.write_progress(job.key, state="queued", done=0, total=job.total)
        run_build.delay(kind=job.kind, key=job.key, params=job.params)
        progress = job.progress()
    return progress


def run(job: Job) -> str:
    """Build the file, store it under its key and report each step; a failure is
    reported (the page offers to try again) and raised."""
    extra: dict = {"total": job.total}

    def report(done: int, **more) -> None:
        extra.update(more)
        pdf.write_progress(job.key, state="running", done=done, **extra)

    report(0)
    try:
        name = pdf.store_pdf(job.key, job.make(report), ext=job.ext)
    except Exception as exc:
        pdf.write_progress(job.key, state="failed", done=0, total=0, error=str(exc)[:300])
        raise
    pdf.write_progress(job.key, state="done", **(extra | {"done": extra["total"]}))
    return name


def run_queued(*, kind: str, key: str, params: dict) -> str | None:
    """The worker's half: the job as the data stands now. If it changed since the click,
    the new version is built and the asked-for one says so (its page offers a rebuild)."""
    job = BUILDERS[kind](**params)
    if job is None:  # its meeting or board is gone
        pdf.write_progress(key, state="failed", done=0, total=0, error="It no longer exists.")
        return None
    if job.key != key:
        pdf.write_progress(
            key, state="failed", done=0, total=0, error="It changed before it was built."
        )
    if job.is_built():
        return job.key
    run(job)
    return job.key


# --- the meetings' own: the agenda pack --------------------------------------------------


def agenda_pack_job(pack: pdf.AgendaPack) -> Job:
    return Job(
        kind="agenda-pack",
        key=pack.key,
        filename=pack.filename,
        params={"meeting_id": pack.meeting.pk, "public": pack.public},
        make=lambda report: pdf.agenda_pack_bytes(pack, report),
        total=len(pack.papers) + 2,
    )


@builder("agenda-pack")
def agenda_pack(*, meeting_id: int, public: bool) -> Job | None:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    return agenda_pack_job(pdf.agenda_pack(meeting, public=public)) if meeting else None


def build_agenda_pack(pack: pdf.AgendaPack) -> str:
    """Build the pack now, in this process (the worker, the tests)."""
    return run(agenda_pack_job(pack))
