"""The README's production steps, run in a fresh copy of the code: a venv holding only the
runtime lock passes `check --deploy`, and gunicorn serves a styled sign-in page whose CSS
has a hashed name, a compressed copy and a long cache lifetime.

About a minute (most of it pip installing from its cache), so marked `install`; CI runs it.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
# The steps as the README's production section gives them, in this order.
INSTALL = "python3.11 -m venv .venv"
PIP = ".venv/bin/pip install --require-hashes -r requirements/base.txt"
ASSETS = "make assets"
CHECK = ".venv/bin/python manage.py check --deploy"
MIGRATE = ".venv/bin/python manage.py migrate"
COLLECT = ".venv/bin/python manage.py collectstatic --no-input"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sh(command: str, cwd: Path, env: dict, timeout: int = 300) -> str:
    done = subprocess.run(
        command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def get(url: str, **headers):
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1", **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.mark.install
def test_the_documented_production_steps_give_a_styled_site_from_the_runtime_lock(tmp_path):
    for step in (INSTALL, PIP, ASSETS, CHECK, MIGRATE, COLLECT):
        assert step in README, f"the README's production steps no longer say {step!r}"
    app = tmp_path / "minutebook"
    app.mkdir()
    # A clean checkout: the tracked files as they stand, no venv, node_modules or var/.
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, files):
        source = ROOT / name.decode()
        if source.is_file() and not source.is_symlink():
            target = app / name.decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "VIRTUAL_ENV"))
        and key not in ("DATABASE_URL", "REDIS_URL", "DEBUG")
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="production-secret-" + "Zq7x" * 12,
        ALLOWED_HOSTS="127.0.0.1",
        MINUTEBOOK_VAR_DIR=str(tmp_path / "var"),
        PATH=f"{Path(sys.executable).parent}:{env['PATH']}",
    )

    sh(INSTALL, app, env)
    # The lock names every package; .pyc files are left to first use, as on a server.
    sh(PIP + " --no-deps --no-compile --quiet", app, env, timeout=600)
    for dev_only in ("pytest", "playwright", "ruff", "hypothesis", "factory"):
        absent = subprocess.run([app / ".venv/bin/python", "-c", f"import {dev_only}"], env=env)
        assert absent.returncode != 0, f"{dev_only} is in the runtime install"
    sh(ASSETS, app, env)
    sh(CHECK + " --fail-level WARNING", app, env)
    sh(MIGRATE + " --no-input", app, env)
    sh(COLLECT, app, env)

    port = free_port()
    # Plain HTTP on loopback: TLS and its redirect belong to nginx in front (deploy/).
    serve_env = {**env, "SECURE_SSL_REDIRECT": "false"}
    server = subprocess.Popen(
        [app / ".venv/bin/gunicorn", "config.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
        cwd=app,
        env=serve_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, body = get(base + "/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.3)
        assert status == 200 and b'"database": "ok"' in body

        status, _, page = get(base + "/accounts/login/")
        assert status == 200
        css = re.search(
            rb'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', page
        )
        assert css, "the page links no hashed Bootstrap stylesheet"
        status, headers, body = get(base + css.group(1).decode(), **{"Accept-Encoding": "br"})
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        assert headers.get("Content-Encoding") == "br"
        assert "max-age=315360000" in headers["Cache-Control"]
        assert "immutable" in headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=10)
