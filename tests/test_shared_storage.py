"""Several servers share one S3-compatible bucket: a file one process stores, another reads.

moto's standalone S3 server on loopback plays the object store; each process has its own
MEDIA_ROOT, so nothing can pass between them through a local disk.
"""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from django.db import connection
from django.test import Client

from boards.models import Membership
from boards.tests.factories import BoardFactory, MembershipFactory, PersonFactory
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "minutebook-papers"

STORE = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from meetings import pdf
print(default_storage.__class__.__name__)
default_storage.save("papers/abc/budget.pdf", ContentFile(b"%PDF-1.7 the budget paper"))
pdf.store_pdf("k1", b"%PDF-1.7 minutes built by a worker")
pdf.write_progress("pack-k2", state="running", done=2, total=5)
"""

READ = """
from django.core.files.storage import default_storage
from meetings import pdf
with default_storage.open("papers/abc/budget.pdf") as f:
    print(f.read().decode())
print(pdf.is_cached("k1"), pdf.CachedPdf("pdf-cache/k1.pdf", "m.pdf", "k1", False).read().decode())
print(pdf.read_progress("pack-k2")["done"], pdf.read_progress("pack-k2")["state"])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("moto's S3 server did not start")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-2",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )


def bucket_env(endpoint: str, media_root: Path) -> dict:
    """A process that keeps its files in the test bucket, with a disk of its own."""
    return {
        **os.environ,
        "DEBUG": "true",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "eu-west-2",
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
        "MEDIA_ROOT": str(media_root),
        "MINUTEBOOK_VAR_DIR": str(media_root.parent / "var"),
    }


def run_as_server(code: str, endpoint: str, media_root: Path) -> str:
    env = bucket_env(endpoint, media_root)
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_paper_and_a_pdf_stored_by_one_server_are_read_by_another(s3_endpoint, tmp_path):
    boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-2",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})

    stored = run_as_server(STORE, s3_endpoint, tmp_path / "one" / "media")
    assert stored.strip() == "S3Storage"
    read = run_as_server(READ, s3_endpoint, tmp_path / "two" / "media")
    assert read.splitlines() == [
        "%PDF-1.7 the budget paper",
        "True %PDF-1.7 minutes built by a worker",
        "2 running",
    ]
    # neither process wrote a local file: everything went to the bucket
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and "media" in p.parts]


PAPER = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
    b"/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def server_env(endpoint: str, media_root: Path) -> dict:
    """A web server or worker on the test database (every process shares it)."""
    db = connection.settings_dict
    return {
        **bucket_env(endpoint, media_root),
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def request(port, method, path, *, cookies, body=b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def multipart(fields: dict, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts = [part.encode() for part in parts]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(
        parts
    ) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def start(command: list, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def answer(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            request(port, "GET", "/healthz", cookies={})
            return
        except OSError:
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, f"no answer on {port}: {log.read_text()[-3000:]}"
            time.sleep(0.3)


@pytest.mark.django_db(transaction=True)
def test_two_web_servers_and_a_worker_share_papers_and_pdfs_only_through_the_bucket(
    s3_endpoint, tmp_path
):
    """Two gunicorns and (with REDIS_URL) a Celery worker, each with a MEDIA_ROOT of its own:
    a paper uploaded through one downloads through the other, and the agenda pack a worker
    builds is served by the web server that did not ask for it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the servers must share the committed test database")
    s3_client(s3_endpoint).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    board = BoardFactory()
    secretary = PersonFactory(name="Sam Secretary")
    MembershipFactory(person=secretary, board=board, role=Membership.Role.SECRETARY)
    item = AgendaItemFactory(meeting=MeetingFactory(board=board), title="Budget")
    signed_in = Client()
    signed_in.force_login(secretary.user)
    token = secrets.token_hex(16)  # a CSRF secret of our own: cookie and header agree
    cookies = {"sessionid": signed_in.cookies["sessionid"].value, "csrftoken": token}
    posting = {"X-CSRFToken": token, "HX-Request": "true"}

    gunicorn = Path(sys.executable).parent / "gunicorn"
    processes, ports = [], []
    try:
        for name in ("one", "two"):
            port = free_port()
            log = tmp_path / f"{name}.log"
            command = [gunicorn, "config.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"]
            processes.append(
                (start(command, server_env(s3_endpoint, tmp_path / name / "media"), log), log)
            )
            ports.append(port)
        worker_log = tmp_path / "worker.log"
        if os.environ.get("REDIS_URL"):
            command = [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
            ]
            command += ["--without-gossip", "--without-mingle", "-n", f"storage-{token[:6]}@%h"]
            processes.append(
                (
                    start(
                        command, server_env(s3_endpoint, tmp_path / "worker" / "media"), worker_log
                    ),
                    worker_log,
                )
            )
        for port, (process, log) in zip(ports, processes, strict=False):
            answer(port, process, log)
        one, two = ports

        body, content_type = multipart({"title": "Budget 2027"}, "budget.pdf", PAPER)
        status, _, page = request(
            one,
            "POST",
            f"/meetings/items/{item.pk}/papers/",
            cookies=cookies,
            body=body,
            headers={**posting, "Content-Type": content_type},
        )
        assert status == 200, page[:2000]
        paper = item.papers.get()
        status, headers, download = request(
            two, "GET", f"/meetings/papers/{paper.pk}/", cookies=cookies
        )
        assert status == 200 and download == PAPER
        assert headers["Content-Type"] == "application/pdf"

        # The pack: asked for on one; built by the worker (inline on one without Redis).
        meeting = item.meeting.pk
        status, _, _ = request(
            one, "POST", f"/meetings/{meeting}/agenda-pack/", cookies=cookies, headers=posting
        )
        assert status == 200
        deadline = time.monotonic() + 120
        while True:
            status, headers, pack = request(
                two, "GET", f"/meetings/{meeting}/agenda-pack.pdf", cookies=cookies
            )
            if status == 200:
                break
            assert status == 302 and time.monotonic() < deadline, (
                worker_log.read_text()[-3000:] if worker_log.exists() else status
            )
            time.sleep(0.5)
        assert headers["Content-Type"] == "application/pdf" and pack.startswith(b"%PDF")
        if os.environ.get("REDIS_URL"):
            built = re.search(
                r"Task meetings\.tasks\.run_build\[[-0-9a-f]+\] succeeded[^\n]*pack-",
                worker_log.read_text(),
            )
            assert built, worker_log.read_text()[-3000:]
    finally:
        for process, _ in processes:
            process.send_signal(signal.SIGTERM)
        for process, _ in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    keys = [o["Key"] for o in s3_client(s3_endpoint).list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert any(k.startswith("papers/") for k in keys) and any(
        k.endswith(".pdf") and "cache" in k for k in keys
    ), keys
    # none of the three wrote a file of its own: everything went to the bucket
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and "media" in p.parts]
