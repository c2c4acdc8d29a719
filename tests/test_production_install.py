"""The README's production steps, run once in a fresh copy of the code: a venv holding only
the runtime lock passes `check --deploy`, and gunicorn serves a styled sign-in page whose
CSS has a hashed name, a compressed copy and a long cache lifetime. Then nginx, configured
from deploy/nginx-minutebook.conf, in front of that gunicorn.

The copy is set up once for the module, with the steps that do not need each other run at
the same time (pip beside `make assets`; `check`, `migrate` and `collectstatic` together).
About 50 s of CPU (pip, then collectstatic's compression the most), so marked `install`;
CI runs it.
"""

import http.client
import os
import re
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
# The steps as the README's production section gives them, in this order.
INSTALL = "python3.11 -m venv .venv"
PIP = ".venv/bin/pip install --require-hashes -r requirements/base.txt"
ASSETS = "make assets"
CHECK = ".venv/bin/python manage.py check --deploy"
MIGRATE = ".venv/bin/python manage.py migrate"
COLLECT = ".venv/bin/python manage.py collectstatic --no-input"
DEV_ONLY = ("pytest", "playwright", "ruff", "hypothesis", "factory", "moto", "piptools")
HASHED_CSS = rb'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"'
# A Debian server's own Python when this machine has it (bookworm: 3.11.2, older than the
# 3.11 the locks are made on), else the one running the tests.
DEBIAN_PYTHON = Path("/usr/bin/python3.11")
PYTHON = DEBIAN_PYTHON if DEBIAN_PYTHON.exists() else Path(sys.executable)
NGINX = shutil.which("nginx", path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


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


def together(*jobs):
    """Runs each job (a function of no arguments) at once; returns their results in order."""
    with ThreadPoolExecutor(len(jobs)) as pool:
        running = [pool.submit(job) for job in jobs]
        return [job.result() for job in running]


def fetch(
    port: int, path: str, *, tls=False, source="127.0.0.1", method="GET", body=None, **headers
):
    """One request from the address `source` (any 127.x address reaches loopback)."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
        conn = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=30, context=context, source_address=(source, 0)
        )
    else:
        conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=30, source_address=(source, 0)
        )
    try:
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **headers})
        response = conn.getresponse()
        return SimpleNamespace(
            status=response.status, headers=response.headers, body=response.read()
        )
    finally:
        conn.close()


def wait_for(port: int, process: subprocess.Popen, what: str, path=None) -> None:
    """Until the port takes connections (and, given a path, answers it: gunicorn's worker
    loads the app only after the port is open)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if path:
                fetch(port, path, **{"X-Forwarded-Proto": "https"})
            else:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None, f"{what} stopped: {process.stderr.read().decode()}"
            assert time.monotonic() < deadline, f"{what} did not answer"
            time.sleep(0.2)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """The README's production steps in a fresh copy, and gunicorn serving it as the units
    in deploy/ do: behind one proxy (TRUSTED_PROXY_COUNT=1) that says when TLS was used."""
    for step in (INSTALL, PIP, ASSETS, CHECK, MIGRATE, COLLECT):
        assert step in README, f"the README's production steps no longer say {step!r}"
    tmp_path = tmp_path_factory.mktemp("production")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python3.11").symlink_to(PYTHON)
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
        TRUSTED_PROXY_COUNT="1",
        SECURE_PROXY_SSL_HEADER="true",
        PATH=f"{tmp_path / 'bin'}:{env['PATH']}",
    )

    # pip (the lock, dependencies checked; .pyc files left to first use, as on a server)
    # while npm fetches the front-end files.
    together(
        lambda: sh(INSTALL, app, env) + sh(PIP + " --no-compile --quiet", app, env, timeout=600),
        lambda: sh(ASSETS, app, env),
    )
    found = sh(
        ".venv/bin/python -c 'import importlib.util, sys; "
        "print(*[m for m in sys.argv[1:] if importlib.util.find_spec(m)])' " + " ".join(DEV_ONLY),
        app,
        env,
    ).split()
    assert found == [], f"{found} in the runtime install"
    # None of the three needs another's output: the database, the checks, the static files.
    together(
        lambda: sh(CHECK + " --fail-level WARNING", app, env),
        lambda: sh(MIGRATE + " --no-input", app, env),
        lambda: sh(COLLECT, app, env),
    )

    port = free_port()
    access_log = tmp_path / "gunicorn-access.log"
    server = subprocess.Popen(
        [app / ".venv/bin/gunicorn", "config.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"]
        + ["--access-logfile", access_log, "--access-logformat", "%(r)s %(s)s"],
        cwd=app,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(port, server, "gunicorn", "/healthz")
        yield SimpleNamespace(
            app=app,
            port=port,
            access_log=access_log,
            static_root=tmp_path / "var" / "staticfiles",
            database=tmp_path / "var" / "minutebook.sqlite3",
            tmp=tmp_path,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_documented_production_steps_give_a_styled_site_from_the_runtime_lock(deployed):
    # As nginx passes it on: TLS ended there (otherwise the answer is a redirect to https).
    https = {"X-Forwarded-Proto": "https"}
    health = fetch(deployed.port, "/healthz", **https)
    assert health.status == 200 and b'"database": "ok"' in health.body

    page = fetch(deployed.port, "/accounts/login/", **https)
    assert page.status == 200
    css = re.search(HASHED_CSS, page.body)
    assert css, "the page links no hashed Bootstrap stylesheet"
    sheet = fetch(deployed.port, css.group(1).decode(), **https, **{"Accept-Encoding": "br"})
    assert sheet.status == 200 and sheet.headers["Content-Type"].startswith("text/css")
    assert sheet.headers["Content-Encoding"] == "br"
    assert "max-age=315360000" in sheet.headers["Cache-Control"]
    assert "immutable" in sheet.headers["Cache-Control"]

    plain = fetch(deployed.port, "/accounts/login/")
    assert plain.status == 301 and plain.headers["Location"].startswith("https://")


def nginx_site(conf: str, *, http_port, https_port, upstream_port, static_root, certs) -> str:
    """deploy/nginx-minutebook.conf with this machine's paths and ports, nothing else."""
    replacements = [
        ("server 127.0.0.1:8000", f"server 127.0.0.1:{upstream_port}"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl"),
        ("/etc/ssl/certs/minutes.example.org.pem", str(certs / "site.pem")),
        ("/etc/ssl/private/minutes.example.org.key", str(certs / "site.key")),
        ("/srv/minutebook/var/staticfiles/", f"{static_root}/"),
    ]
    for old, new in replacements:
        assert old in conf, f"deploy/nginx-minutebook.conf no longer says {old!r}"
        conf = conf.replace(old, new)
    # Loopback here has no IPv6 to be sure of.
    return "\n".join(line for line in conf.splitlines() if "listen [::]" not in line)


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian: nginx-light)")
def test_nginx_serves_static_files_itself_and_proxies_the_rest_with_the_client_address(
    deployed,
):
    app_log_before = len(deployed.access_log.read_text())
    prefix = deployed.tmp / "nginx"
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", prefix / "site.key", "-out", prefix / "site.pem"],
        check=True,
        capture_output=True,
    )
    http_port, https_port = free_port(), free_port()
    site = nginx_site(
        (ROOT / "deploy" / "nginx-minutebook.conf").read_text(),
        http_port=http_port,
        https_port=https_port,
        upstream_port=deployed.port,
        static_root=deployed.static_root,
        certs=prefix,
    )
    # What Debian's /etc/nginx/nginx.conf gives a site, in a prefix of the test's own.
    (prefix / "nginx.conf").write_text(
        f"""
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    {site}
}}
"""
    )
    server = subprocess.Popen(
        [NGINX, "-p", prefix, "-e", prefix / "logs/error.log", "-c", prefix / "nginx.conf"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(https_port, server, "nginx")
        # Plain HTTP is sent to HTTPS.
        plain = fetch(http_port, "/accounts/login/")
        assert plain.status == 301
        assert plain.headers["Location"] == "https://127.0.0.1/accounts/login/"

        # A page: proxied to the app, which knows it came over TLS (no redirect of its own)
        # and gets nginx's request id. The client claims another address; it is ignored.
        page = fetch(
            https_port,
            "/accounts/login/",
            tls=True,
            source="127.0.0.2",
            **{"X-Forwarded-For": "203.0.113.9"},
        )
        assert page.status == 200 and b"Sign in" in page.body
        assert re.fullmatch(r"[0-9a-f]{32}", page.headers["X-Request-ID"])
        cookies = ", ".join(page.headers.get_all("Set-Cookie"))
        assert "csrftoken=" in cookies and "secure" in cookies.lower()

        # A wrong password from 127.0.0.2: the app counts it against 127.0.0.2 (what nginx
        # saw), not nginx's own address nor the one the client made up.
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        cookie = re.search(r"csrftoken=([^;]+)", cookies)
        refused = fetch(
            https_port,
            "/accounts/login/",
            tls=True,
            source="127.0.0.2",
            method="POST",
            body=urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token.group(1).decode(),
                    "username": "nobody",
                    "password": "not-the-password",
                }
            ),
            **{
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie.group(1)}",
                "Referer": "https://127.0.0.1/accounts/login/",
                "X-Forwarded-For": "203.0.113.9",
            },
        )
        assert refused.status == 200, refused.body[:500]
        with sqlite3.connect(deployed.database) as db:
            addresses = {row[0] for row in db.execute("SELECT ip_address FROM axes_accessattempt")}
        assert addresses == {"127.0.0.2"}

        # Static files: from disk by nginx (gunicorn never sees them), compressed, the
        # hashed ones cached for good and the others for a minute.
        css = re.search(HASHED_CSS, page.body).group(1).decode()
        sheet = fetch(https_port, css, tls=True, **{"Accept-Encoding": "gzip"})
        assert sheet.status == 200 and sheet.headers["Content-Type"] == "text/css"
        assert sheet.headers["Content-Encoding"] == "gzip"
        cache = ", ".join(sheet.headers.get_all("Cache-Control"))
        assert "max-age=315360000" in cache and "immutable" in cache
        unhashed = fetch(https_port, "/static/favicon.svg", tls=True)
        assert unhashed.status == 200
        assert unhashed.headers["Cache-Control"] == "max-age=60"
        # Papers only ever through the app's permission check.
        assert fetch(https_port, "/media/papers/x.pdf", tls=True).status == 404

        served_by_the_app = deployed.access_log.read_text()[app_log_before:]
        assert "GET /accounts/login/ " in served_by_the_app
        assert "POST /accounts/login/ " in served_by_the_app
        assert "/static/" not in served_by_the_app and "/media/" not in served_by_the_app
    finally:
        server.terminate()
        server.wait(timeout=10)
