"""The production stack as declared: docker-compose.yml, the Dockerfile, and the environment contract.

No Docker engine runs here, so the compose file is parsed and checked against what the code reads.
"""

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = (ROOT / "config" / "settings.py").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def settings_variables() -> set[str]:
    """Every environment variable config/settings.py reads."""
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', SETTINGS))


def env_example_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return {line.split("=", 1)[0] for line in text.splitlines() if re.match(r"^[A-Z_]+=", line)}


def test_compose_declares_the_production_services():
    assert set(SERVICES) == {"postgres", "redis", "cache", "web", "nginx", "worker", "beat"}
    assert SERVICES["postgres"]["image"].startswith("postgres:16")
    assert SERVICES["redis"]["image"].startswith("redis:7")
    assert SERVICES["cache"]["image"].startswith("redis:7")
    assert SERVICES["nginx"]["image"].startswith("nginx:")


def test_nginx_is_the_only_service_publishing_a_port_and_serves_the_shipped_template():
    assert [name for name, service in SERVICES.items() if service.get("ports")] == ["nginx"]
    nginx = SERVICES["nginx"]
    assert (
        "./config/nginx/tracker.conf.template:/etc/nginx/templates/default.conf.template:ro"
        in nginx["volumes"]
    )
    assert nginx["environment"]["TRACKER_UPSTREAM"] == "web:8000"
    template = (ROOT / "config" / "nginx" / "tracker.conf.template").read_text()
    for placeholder in ("${NGINX_LISTEN}", "${TRACKER_UPSTREAM}"):
        assert placeholder in template
    # The app behind it believes the forwarded headers of one proxy, and no more.
    assert SERVICES["web"]["environment"]["API_NUM_PROXIES"] == "1"


def test_cache_and_broker_are_two_redis_the_cache_capped_and_evicting_the_broker_never():
    """Eviction is per Redis: with one for both, a cache flood would evict queued tasks, or a cap
    with noeviction would refuse both."""
    cache = SERVICES["cache"]["command"]
    assert cache[cache.index("--maxmemory") + 1].endswith(("mb", "gb"))
    assert cache[cache.index("--maxmemory-policy") + 1] == "allkeys-lru"
    broker = SERVICES["redis"]["command"]
    assert broker[broker.index("--maxmemory-policy") + 1] == "noeviction"
    for name in ("web", "worker", "beat"):
        environment = SERVICES[name]["environment"]
        assert environment["CACHE_REDIS_URL"].startswith("redis://cache:")
        assert environment["REDIS_URL"].startswith("redis://redis:")


SETTINGS_PROBE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.CACHES['default'].get('LOCATION'), settings.CELERY_BROKER_URL]))"
)


def test_the_cache_takes_its_own_redis_url_and_falls_back_to_the_brokers():
    import json

    apart = run_python(
        ["-c", SETTINGS_PROBE], REDIS_URL="redis://broker:6379/0", CACHE_REDIS_URL="redis://cache:6379/0"
    )
    assert apart.returncode == 0, apart.stderr
    assert json.loads(apart.stdout) == ["redis://cache:6379/0", "redis://broker:6379/0"]
    one = run_python(["-c", SETTINGS_PROBE], REDIS_URL="redis://broker:6379/0")
    assert json.loads(one.stdout) == ["redis://broker:6379/0", "redis://broker:6379/0"]


def test_compose_services_run_the_right_commands():
    web = (
        " ".join(SERVICES["web"]["command"])
        if isinstance(SERVICES["web"]["command"], list)
        else SERVICES["web"]["command"]
    )
    assert "gunicorn config.wsgi" in web and "migrate" in web
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


def test_compose_has_healthchecks_and_volumes():
    for name in ("postgres", "redis", "cache", "web", "nginx", "worker"):
        assert "test" in SERVICES[name]["healthcheck"], name
    assert {"postgres-data", "redis-data"} <= set(COMPOSE["volumes"])
    for name in ("web", "worker", "beat"):
        for needed in ("postgres", "redis", "cache"):
            assert SERVICES[name]["depends_on"][needed]["condition"] == "service_healthy"


def test_app_services_build_from_the_dockerfile_and_read_env():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn" in dockerfile and "collectstatic" in dockerfile
    for name in ("web", "worker", "beat"):
        service = SERVICES[name]
        assert service["build"] == "."
        assert service["env_file"] == ".env"
        for variable in service["environment"]:
            assert variable in settings_variables(), f"{name} sets {variable}, which settings never read"


def test_every_setting_variable_is_in_env_example_and_readme():
    read = settings_variables()
    assert read == env_example_variables()
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in read if f"`{name}`" not in readme]
    assert missing == [], f"README configuration table lacks {missing}"


def run_python(code: list[str], **env) -> subprocess.CompletedProcess:
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run([sys.executable, *code], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_serving_without_secret_key_is_refused_when_debug_is_off():
    wsgi = run_python(["-c", "import config.wsgi"], DEBUG="0")
    assert wsgi.returncode != 0 and "SECRET_KEY" in wsgi.stderr
    check = run_python(["manage.py", "check"], DEBUG="0")
    assert check.returncode != 0 and "SECRET_KEY" in check.stderr


def test_offline_extraction_needs_no_configuration(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Microsoft will invest 3.2 billion euros in Germany, the company said on Thursday.")
    proc = run_python(["manage.py", "extract", str(article), "--published", "2024-02-16", "--json"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().startswith("[")


def test_ci_script_starts_services_and_runs_lint_and_test():
    script = (ROOT / ".ci" / "run").read_text()
    for needle in ("pg_isready", "redis-cli", "make lint", "make test", "DATABASE_URL", "REDIS_URL"):
        assert needle in script
