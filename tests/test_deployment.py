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
    assert set(SERVICES) == {"postgres", "redis", "web", "worker", "beat"}
    assert SERVICES["postgres"]["image"].startswith("postgres:16")
    assert SERVICES["redis"]["image"].startswith("redis:7")


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
    for name in ("postgres", "redis", "web", "worker"):
        assert "test" in SERVICES[name]["healthcheck"], name
    assert {"postgres-data", "redis-data"} <= set(COMPOSE["volumes"])
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert SERVICES[name]["depends_on"]["redis"]["condition"] == "service_healthy"


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
