"""Exactly once, for real: two Celery workers, a Redis restart and a kill -9 mid-batch.

The test starts its own redis-server on a free loopback port (never the machine's shared
one), an aiosmtpd sink, and two worker processes against the committed PostgreSQL test
database. It plans reminders, restarts its Redis before anything is sent, SIGKILLs a
worker in the middle of an SMTP conversation, and counts what the sink accepted.
"""

import asyncio
import datetime as dt
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from actions.models import Action, Reminder
from actions.reminders import LONDON, digest_message_id, plan_reminders
from boards.models import Person
from boards.tests.factories import BoardFactory
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
DEADLINE_SECONDS = 80
CLAIM_TIMEOUT_SECONDS = 4
DAY = dt.date(2026, 3, 30)  # the Monday after the spring clock change
PLANNED_AT = dt.datetime.combine(DAY, dt.time(6, 30), tzinfo=LONDON)
SENT_AT = dt.datetime.combine(DAY, dt.time(8, 0), tzinfo=LONDON)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, *, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting for {what}")


class OwnRedis:
    """A throwaway redis-server on a loopback port, with no persistence to restart from."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="redis-server")

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self):
        self.stop()
        self.start()


def _socket_inode(local_port: int, remote_port: int) -> str | None:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == local_port and int(remote.split(":")[1], 16) == (
            remote_port
        ):
            return fields[9]
    return None


def pid_owning(local_port: int, remote_port: int, pids) -> int | None:
    """Which of our worker processes holds this TCP connection (Linux /proc)."""
    inode = _socket_inode(local_port, remote_port)
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
        except OSError:
            continue
    return None


class Sink:
    """An SMTP sink that accepts a message only once its sender is still there to hear 250.

    On the kill_at-th message it SIGKILLs the worker sending it, mid-conversation: the
    connection drops, aiosmtpd cancels this handler, and the message is not accepted.
    """

    def __init__(self, kill_at: int, worker_pids):
        self.port = free_port()
        self.kill_at = kill_at
        self.worker_pids = worker_pids
        self.seen = 0
        self.killed_pid = None
        self.accepted: list[tuple[str, str]] = []  # (Message-ID, recipient)

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen == self.kill_at and self.killed_pid is None:
            pid = pid_owning(session.peer[1], self.port, self.worker_pids())
            if pid:
                self.killed_pid = pid
                os.kill(pid, signal.SIGKILL)
                await asyncio.sleep(3)  # cancelled when the dead worker's socket closes
                return "451 Sender vanished"
        message = email.message_from_bytes(envelope.content)
        await asyncio.sleep(0.01)  # a little latency, so the kill lands mid-batch
        self.accepted.append((message["Message-ID"], ",".join(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class Worker:
    def __init__(self, name, env, logdir: Path):
        self.name, self.env, self.logdir = name, env, logdir
        self.process = None

    def start(self):
        log = open(self.logdir / f"{self.name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
            + ["-n", f"{self.name}@%h", "--without-gossip", "--without-mingle"]
            + ["--loglevel=INFO"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    @property
    def pid(self):
        return self.process.pid if self.process and self.process.poll() is None else None

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


EVIL_NAME = 'Mal" <attacker@example.com>, "x'


def plant_bad_rows(item, owners):
    """The rows that once stopped the pass for everyone: due dates at the calendar's ends,
    and an owner whose name tries to add an address. Mal's action is due today."""
    mal = Person.objects.create(name=EVIL_NAME, email="mal@example.org", wants_digest=False)
    bad = Action.objects.bulk_create(
        Action(
            item=item,
            board_id=item.meeting.board_id,
            text=text,
            due_on=due,
            created_at=item.meeting.starts_at,
        )
        for text, due in [
            ("Due at the end of time", dt.date(9999, 12, 31)),
            ("Due in year one", dt.date(1, 1, 3)),
            ("Mal's action", DAY),
        ]
    )
    Action.owners.through.objects.bulk_create(
        Action.owners.through(action=action, person=person)
        for action in bad
        for person in [mal, owners[0], owners[-1]]
    )


def plan_a_busy_morning(people=30, digest_people=8):
    """Thirty owners with separate e-mails (two actions each), eight digest readers.

    Built with bulk inserts: the test's time budget is for the workers, not for factories.
    """
    board = BoardFactory()
    meeting = MeetingFactory(
        board=board,
        starts_at=dt.datetime(2026, 3, 12, 10, tzinfo=LONDON),
        minutes_circulated_at=dt.datetime(2026, 3, 13, 12, tzinfo=LONDON),
    )
    item = AgendaItemFactory(meeting=meeting)
    owners = Person.objects.bulk_create(
        Person(name=f"Owner {n}", email=f"owner{n}@example.org", wants_digest=n >= people)
        for n in range(people + digest_people)
    )
    dues = []
    for owner in owners:
        # Separate readers: due today and due soon; digest readers: due today and overdue.
        later = dt.timedelta(days=-1 if owner.wants_digest else 7)
        dues += [(owner, DAY), (owner, DAY + later)]
    actions = Action.objects.bulk_create(
        Action(
            item=item,
            board_id=meeting.board_id,
            text=f"Action {n}",
            due_on=due,
            created_at=meeting.starts_at,
        )
        for n, (_, due) in enumerate(dues)
    )
    Action.owners.through.objects.bulk_create(
        Action.owners.through(action=action, person=owner)
        for action, (owner, _) in zip(actions, dues, strict=True)
    )
    plant_bad_rows(item, owners)
    plan_reminders(PLANNED_AT)
    expected = []
    for person_id in Reminder.objects.order_by().values_list("person_id", flat=True).distinct():
        rows = list(Reminder.objects.filter(person_id=person_id).select_related("person"))
        if rows[0].person.wants_digest:
            expected.append(digest_message_id(r.pk for r in rows))
        else:
            expected.extend(r.message_id for r in rows)
    return expected


def test_it_delivers_every_reminder_exactly_once_through_a_kill_and_a_redis_restart(
    tmp_path, legacy_due_dates
):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no Redis integration run")
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: workers must share the committed test database")
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    from aiosmtpd.controller import Controller
    from celery import Celery

    started = time.monotonic()
    redis = OwnRedis(tmp_path)
    workers: list[Worker] = []
    sink = Sink(kill_at=25, worker_pids=lambda: [w.pid for w in workers if w.pid])
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": redis.url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "REMINDER_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT_SECONDS),
        "SITE_URL": "https://minutebook.example",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    producer = Celery("reminders-test", broker=redis.url, set_as_current=False)
    try:
        redis.start()
        controller.start()
        workers.extend(Worker(f"w{n}", env, tmp_path) for n in (1, 2))
        for worker in workers:
            worker.start()
        expected = plan_a_busy_morning()  # while the workers start
        answered = set()

        def both_workers_answer():
            answered.update(name for reply in producer.control.ping(timeout=1) for name in reply)
            return len(answered) == 2

        wait_for(both_workers_answer, timeout=45, what="two workers")
        # Each owner's two, each digest reader's one; and one each for Mal's action, due
        # today, to Mal, Owner 0 (separate e-mails) and the last digest reader's digest.
        assert len(expected) == 30 * 2 + 8 + 2
        redis.restart()  # between planning and sending: the broker forgets everything

        # Beat's job, quickened: keep triggering the pass; each pass finds what is left.
        while time.monotonic() - started < DEADLINE_SECONDS:
            for _ in range(2):
                producer.send_task(
                    "actions.tasks.run_reminder_pass", kwargs={"now": SENT_AT.isoformat()}
                )
            time.sleep(1.0)
            left = Reminder.objects.exclude(status=Reminder.Status.SENT).count()
            if left == 0 and len(sink.accepted) >= len(expected):
                break
        time.sleep(1.0)  # anything still in flight would show up as a duplicate now
    finally:
        for worker in workers:
            worker.stop()
        controller.stop()
        redis.stop()
        producer.close()

    logs = "\n".join(p.read_text()[-3000:] for p in tmp_path.glob("w*.log"))
    ids = [message_id for message_id, _ in sink.accepted]
    delivered = len(set(ids) & set(expected))
    duplicates = len(ids) - len(set(ids))
    assert sink.killed_pid is not None, "no worker was killed mid-batch\n" + logs
    assert delivered / len(expected) == 1.0, logs
    assert duplicates == 0
    assert set(ids) == set(expected)
    assert "mal@example.org" in {to for _, to in sink.accepted}
    assert all("attacker" not in to for _, to in sink.accepted)
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
    assert time.monotonic() - started < 90
