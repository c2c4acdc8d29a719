"""Several servers share one S3-compatible bucket: a file one process stores, another reads.

moto's standalone S3 server on loopback plays the object store; each process has its own
MEDIA_ROOT, so nothing can pass between them through a local disk.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

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


def run_as_server(code: str, endpoint: str, media_root: Path) -> str:
    env = {
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
