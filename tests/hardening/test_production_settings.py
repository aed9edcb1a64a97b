"""The production settings, read in a fresh process from the production environment: the deploy check is
clean, HTTPS is enforced and remembered, cookies are secure, and no page may run an inline script."""

import json
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/admin/login/")
secure = client.get("/admin/login/", secure=True)
print(json.dumps({
    "debug": settings.DEBUG,
    "settings": {name: getattr(settings, name) for name in (
        "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS")},
    "plain": {"status": plain.status_code, "location": plain.get("Location", "")},
    "secure": {"status": secure.status_code, "headers": dict(secure.headers.items()),
               "cookies": {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]),
                                  "samesite": c["samesite"]} for name, c in secure.cookies.items()}},
}))
"""


def production_env(tmp_path, **overrides):
    """The environment of a production deployment: DEBUG off, a long random key, HTTPS on."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "STATIC_ROOT": str(ROOT / "var" / "static"),
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def probe(env):
    result = run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    return probe(production_env(tmp_path_factory.mktemp("production")))


def csp(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_deploy_check_gives_no_warning_with_the_production_environment(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_on_a_short_secret_key(tmp_path):
    env = production_env(tmp_path, SECRET_KEY="short")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_serving_and_the_deploy_check_refuse_to_start_without_a_secret_key(tmp_path):
    for debug in (None, "false"):  # DEBUG unset is production too
        env = production_env(tmp_path, SECRET_KEY=None, DEBUG=debug)
        wsgi = run(["-c", "import config.wsgi"], env)
        assert wsgi.returncode != 0 and "SECRET_KEY" in wsgi.stderr, debug
        check = run(["manage.py", "check", "--deploy"], env)
        assert check.returncode != 0 and "SECRET_KEY" in check.stderr, debug


def test_debug_is_off_unless_set(production, tmp_path):
    assert production["debug"] is False
    assert probe(production_env(tmp_path, DEBUG="1"))["debug"] is True


def test_ssl_redirect_is_on_by_default_when_debug_is_off(tmp_path):
    assert (
        probe(production_env(tmp_path, SECURE_SSL_REDIRECT=None))["settings"]["SECURE_SSL_REDIRECT"] is True
    )


def test_plain_http_is_redirected_to_https(production):
    assert production["plain"]["status"] == 301
    assert production["plain"]["location"] == "https://testserver/admin/login/"


def test_https_responses_carry_hsts_for_a_year_with_subdomains(production):
    headers = production["secure"]["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_https_responses_forbid_sniffing_framing_and_cross_site_referrers(production):
    headers = production["secure"]["headers"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_cookies_are_secure_and_the_session_cookie_is_http_only(production):
    values = production["settings"]
    assert (
        values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    )
    cookies = production["secure"]["cookies"]
    assert cookies["csrftoken"]["secure"] is True


def test_content_security_policy_allows_scripts_from_this_site_only(production):
    policy = csp(production["secure"]["headers"]["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    for directive in ("script-src", "default-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(policy[directive])


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline, self.handlers, self.in_script = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [(tag, name) for name in attrs if name.startswith("on")]
        self.handlers += [
            (tag, name) for name, value in attrs.items() if (value or "").lower().startswith("javascript:")
        ]
        if tag == "script":
            self.in_script = attrs

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = None

    def handle_data(self, data):
        code = self.in_script is not None and self.in_script.get("type") != "application/json"
        if code and data.strip() and "src" not in self.in_script:
            self.inline.append(data[:80])


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/api/docs/", "/api/v1/?format=api"])
def test_admin_and_api_pages_have_no_inline_script_for_the_policy_to_block(client, path):
    """The site's own pages are checked in tests/investments/test_pages.py; these are the third-party ones."""
    response = client.get(path)
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    parser = Scripts()
    parser.feed(response.content.decode())
    assert parser.inline == []
    assert parser.handlers == []


@pytest.mark.django_db
def test_staff_pages_have_no_inline_script_for_the_policy_to_block(admin_client):
    for path in ("/admin/", "/admin/ingest/candidate/", "/admin/investments/investment/add/"):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        parser = Scripts()
        parser.feed(response.content.decode())
        assert parser.inline == [], path
        assert parser.handlers == [], path
        assert not re.search(r"<script>(?!\s*</script>)", response.content.decode()), path


HEALTH_PROBE = r"""
import json, sys, django
django.setup()
from django.test import Client
path, secure = sys.argv[1], sys.argv[2] == "1"
headers = {"HTTP_X_FORWARDED_PROTO": "https"} if secure else {}
response = Client().get(path, HTTP_HOST="127.0.0.1:8000", **headers)
print(json.dumps({"status": response.status_code, "location": response.get("Location", "")}))
"""


def test_compose_web_healthcheck_is_answered_200_by_the_production_settings(tmp_path):
    """The healthcheck speaks plain HTTP to gunicorn; with HTTPS enforced it must still get its 200."""
    import yaml

    command = " ".join(
        yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["healthcheck"]["test"]
    )
    url = re.search(r"http://127\.0\.0\.1:8000(/[^'\"\s]*)", command)
    assert url, command
    secure = "X-Forwarded-Proto" in command
    env = production_env(tmp_path, ALLOWED_HOSTS="127.0.0.1,localhost")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    result = run(["-c", HEALTH_PROBE, url.group(1), "1" if secure else "0"], env)
    assert result.returncode == 0, result.stderr[-2000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 200, answer
