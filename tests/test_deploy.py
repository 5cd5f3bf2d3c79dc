"""The service files under deploy/, checked by the tools that read them, and run.

- `systemd-analyze verify` on both units (the checkout's path in place of /srv/escape-velocity), and a unit it
  must refuse, so the check is seen to bite.
- `nginx -t` on the site and its proxy snippet, with a throw-away certificate in place of the placeholders.
- Real nginx in front of two gunicorn servers sharing one port, started with the unit's own ExecStart and the
  example environment file: the rate limit counts the client address nginx forwards (a forged X-Forwarded-For
  changes nothing), HSTS and Secure cookies come only with what nginx marks as HTTPS, and a real browser can post
  a form over HTTPS (Flask-WTF checks the Referer of a secure POST against the Host nginx passes).
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from redis import Redis

from assess.config import DEFAULTS as APP_DEFAULTS
from assess.jobs import DEFAULTS as JOB_DEFAULTS
from tests.pg_service import free_port
from tests.redis_service import RedisServer

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = ("escape-velocity@.service", "escape-velocity-worker@.service")
INSTALLED = "/srv/escape-velocity"
ENV_FILE = "/etc/escape-velocity/escape-velocity.env"
HOST = "127.0.0.1"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        pytest.fail("nginx is not installed: run scripts/bootstrap --dev, which apt-installs it", pytrace=False)
    return found


def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.fail("systemd-analyze is missing: run scripts/bootstrap --dev (Debian's systemd)", pytrace=False)
    return found


def unit_here(name: str, into: Path) -> Path:
    """The unit with this checkout in place of /srv/escape-velocity and the example environment file in place of
    /etc/escape-velocity's, written into `into`."""
    text = (DEPLOY / "systemd" / name).read_text()
    text = text.replace(ENV_FILE, str(DEPLOY / "escape-velocity.env")).replace(INSTALLED, str(ROOT))
    path = into / name
    path.write_text(text)
    return path


def setting(unit: str, key: str) -> str:
    """A [Service] setting's value in a shipped unit."""
    found = re.findall(rf"^{key}=(.*)$", (DEPLOY / "systemd" / unit).read_text(), re.MULTILINE)
    assert len(found) == 1, (unit, key, found)
    return found[0]


def verify(directory: Path, *units: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [systemd_analyze(), "verify", *(f"./{unit}" for unit in units)],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    for name in UNITS:
        unit_here(name, tmp_path)
    outcome = verify(
        tmp_path, "escape-velocity@1.service", "escape-velocity@2.service", "escape-velocity-worker@1.service"
    )
    assert (outcome.returncode, outcome.stdout + outcome.stderr) == (0, "")

    # The same check refuses a unit whose program is missing, and warns of a misspelt setting.
    broken = (tmp_path / UNITS[1]).read_text().replace("/.venv/bin/flask", "/.venv/bin/no-such-flask")
    (tmp_path / UNITS[1]).write_text(broken.replace("KillMode=", "KilMode="))
    outcome = verify(tmp_path, "escape-velocity-worker@1.service")
    assert outcome.returncode != 0
    assert "no-such-flask" in outcome.stderr
    assert "Unknown key 'KilMode'" in outcome.stderr


def test_the_units_stop_gently_restart_and_read_the_environment_file() -> None:
    for unit in UNITS:
        assert setting(unit, "EnvironmentFile") == ENV_FILE
        assert setting(unit, "KillMode") == "mixed"  # SIGTERM to the main process only: it lets work finish
    assert setting(UNITS[0], "Restart") == "on-failure"
    assert setting(UNITS[1], "Restart") == "always"
    assert "--reuse-port" in setting(UNITS[0], "ExecStart")
    # The worker's stop timeout is longer than a job may take; the server's longer than gunicorn's graceful stop.
    assert int(setting(UNITS[1], "TimeoutStopSec")) > JOB_DEFAULTS["JOB_TIMEOUT"]
    graceful = re.search(r"^graceful_timeout = (\d+)", (ROOT / "gunicorn.conf.py").read_text(), re.MULTILINE)
    assert graceful is not None
    assert int(setting(UNITS[0], "TimeoutStopSec")) > int(graceful.group(1))


# ---------------------------------------------------------------------------------------------------------
# nginx


def certificate(directory: Path) -> tuple[Path, Path]:
    """A throw-away self-signed certificate for 127.0.0.1 and its key."""
    crt, key = directory / "test.crt", directory / "test.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"),
            *("-keyout", str(key), "-out", str(crt)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return crt, key


def nginx_prefix(directory: Path, upstream: int, http: int, https: int, plain: int) -> Path:
    """A private nginx prefix holding the shipped site and snippet, with the placeholders filled in for loopback:
    the upstream's port, the listening ports, the certificate. `plain` is a test-only server that passes
    requests with the same snippet over plain HTTP (the site itself only redirects HTTP)."""
    (directory / "snippets").mkdir(parents=True)
    crt, key = certificate(directory)
    shutil.copy(DEPLOY / "nginx" / "escape-velocity-proxy.conf", directory / "snippets")
    site = (DEPLOY / "nginx" / "escape-velocity.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
        "listen 80;": f"listen {HOST}:{http};",
        "listen 443 ssl http2;": f"listen {HOST}:{https} ssl http2;",
        "/etc/ssl/certs/escape-velocity.crt": str(crt),
        "/etc/ssl/private/escape-velocity.key": str(key),
    }
    for placeholder, value in replacements.items():
        assert site.count(placeholder) == 1, placeholder
        site = site.replace(placeholder, value)
    plain_server = f"server {{ listen {HOST}:{plain}; location / {{ include snippets/escape-velocity-proxy.conf; }} }}"
    (directory / "escape-velocity.conf").write_text(site + "\n" + plain_server + "\n")
    temp = directory / "temp"
    temp.mkdir()
    (directory / "nginx.conf").write_text(
        f"""
        daemon off;
        user root;
        pid {directory / "nginx.pid"};
        error_log stderr;
        events {{ worker_connections 64; }}
        http {{
            access_log off;
            client_body_temp_path {temp}/body;
            proxy_temp_path {temp}/proxy;
            fastcgi_temp_path {temp}/fastcgi;
            uwsgi_temp_path {temp}/uwsgi;
            scgi_temp_path {temp}/scgi;
            include escape-velocity.conf;
        }}
        """
    )
    return directory


def test_the_nginx_site_passes_nginx_t(tmp_path: Path) -> None:
    prefix = nginx_prefix(tmp_path, free_port(), free_port(), free_port(), free_port())
    outcome = subprocess.run(
        [nginx_binary(), "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert outcome.returncode == 0, outcome.stderr
    assert "test is successful" in outcome.stderr


def test_the_nginx_body_limit_is_the_app_s() -> None:
    site = (DEPLOY / "nginx" / "escape-velocity.conf").read_text()
    found = re.search(r"client_max_body_size (\d+)k;", site)
    assert found is not None
    assert int(found.group(1)) * 1024 == APP_DEFAULTS["MAX_CONTENT_LENGTH"]


def environment_file() -> dict[str, str]:
    """The example environment file as systemd reads it: NAME=value lines, a value perhaps in single quotes."""
    pairs = {}
    for line in (DEPLOY / "escape-velocity.env").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip().removeprefix("'").removesuffix("'")
    return pairs


def wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, log.read_text()
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)


@contextmanager
def running(command: list[str], log: Path, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def proxied(
    tmp_path_factory: pytest.TempPathFactory, migrated_db: Path, redis_server: RedisServer
) -> Iterator[dict[str, int]]:
    """nginx on loopback in front of two app servers (the unit's ExecStart, the example environment file) sharing
    one port; the rate limits in the session's Redis, the API's at 5 a minute. Yields nginx's ports. Started once
    for this module's tests."""
    tmp_path = tmp_path_factory.mktemp("deploy")
    database = tmp_path / "deploy.sqlite3"
    shutil.copy(migrated_db, database)
    redis_url = redis_server.url
    upstream = free_port()
    settings = environment_file()
    assert settings["FLASK_TRUSTED_PROXIES"] == "1"
    settings.update(
        FLASK_SECRET_KEY="deploy-test-" + os.urandom(16).hex(),
        DATABASE_URL=f"sqlite:///{database}",
        REDIS_URL=redis_url,
        FLASK_RATELIMIT_STORAGE_URI=redis_url,
        GUNICORN_BIND=f"{HOST}:{upstream}",
        FLASK_RATELIMIT_API="5 per minute",
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "GUNICORN_"))}
    env.update(settings)
    exec_start = setting(UNITS[0], "ExecStart").replace(INSTALLED, str(ROOT))
    ports = {"http": free_port(), "https": free_port(), "plain": free_port()}
    prefix = nginx_prefix(tmp_path / "nginx", upstream, ports["http"], ports["https"], ports["plain"])
    with ExitStack() as stack:
        for number in (1, 2):
            log = tmp_path / f"server-{number}.log"
            server = stack.enter_context(running(shlex.split(exec_start), log, env))
            wait_until_up(upstream, server, log)
        nginx_log = tmp_path / "nginx.log"
        nginx = stack.enter_context(
            running([nginx_binary(), "-p", str(prefix), "-c", str(prefix / "nginx.conf")], nginx_log)
        )
        wait_until_up(ports["plain"], nginx, nginx_log)
        yield ports


def request(
    port: int, path: str, headers: dict[str, str] | None = None, tls: bool = False, source: str = HOST
) -> http.client.HTTPResponse:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            HOST, port, timeout=30, context=context, source_address=(source, 0)
        )
    else:
        connection = http.client.HTTPConnection(HOST, port, timeout=30, source_address=(source, 0))
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def test_behind_nginx_limits_count_the_forwarded_client_and_https_is_what_nginx_says(
    proxied: dict[str, int], redis_url: str
) -> None:
    https = proxied["https"]
    # A client on 127.0.0.2 (nginx and the app servers talk over 127.0.0.1), forging X-Forwarded-For each time.
    statuses = [
        request(https, "/api/v1/questionnaires", {"X-Forwarded-For": f"203.0.113.{n}"}, tls=True, source="127.0.0.2")
        for n in range(6)
    ]
    assert [r.status for r in statuses] == [200] * 5 + [429]
    keys = b" ".join(Redis.from_url(redis_url).keys("LIMITS*")).decode()
    assert "127.0.0.2" in keys
    assert "203.0.113" not in keys
    assert "/127.0.0.1/" not in keys
    # Another client has its own count.
    assert request(https, "/api/v1/questionnaires", tls=True, source="127.0.0.3").status == 200

    # HTTPS through nginx: HSTS and a Secure session cookie, even when the client claims otherwise.
    secure = request(https, "/", {"X-Forwarded-Proto": "http"}, tls=True)
    assert secure.status == 200
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "; Secure" in secure.headers["Set-Cookie"]

    # Plain HTTP to the site: only a redirect, from nginx, never the app.
    redirect = request(proxied["http"], "/", {"X-Forwarded-Proto": "https"})
    assert redirect.status == 301
    assert redirect.headers["Location"].startswith("https://")
    assert "Strict-Transport-Security" not in redirect.headers
    assert "Set-Cookie" not in redirect.headers

    # The same proxy settings over plain HTTP: a forged X-Forwarded-Proto does not make the app call it HTTPS.
    plain = request(proxied["plain"], "/", {"X-Forwarded-Proto": "https"})
    assert plain.status == 200
    assert "Strict-Transport-Security" not in plain.headers
    assert "Secure" not in plain.headers["Set-Cookie"]


def test_a_browser_over_https_through_nginx_can_post_a_form(proxied: dict[str, int], browser: Browser) -> None:
    """Forms over HTTPS: Flask-WTF checks that a secure POST's Referer is this site, so the pages must let the
    browser send it to their own origin (a no-referrer policy made every form answer 400 behind TLS)."""
    context = browser.new_context(ignore_https_errors=True)  # the test's self-signed certificate
    try:
        page = context.new_page()
        landing = page.goto(f"https://{HOST}:{proxied['https']}/")
        assert landing is not None
        assert landing.headers["referrer-policy"] == "same-origin"
        with page.expect_navigation():
            page.locator('form[action="/q/role-audit/start"] button').click()
        assert re.search(r"/d/[A-Za-z0-9_-]{43}/1$", page.url), page.url
        assert page.locator("h1").count() == 1
        assert "Bad Request" not in page.content()
    finally:
        context.close()
