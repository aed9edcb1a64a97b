"""Throwaway services for the fault tests and the load benchmark: a private PostgreSQL cluster and a
private Redis that a test may stop and start at will (never the shared ones), and gunicorn serving the
project.

    with private_postgres() as pg:          # initdb in a temporary folder, on a free loopback port
        url = pg.create_database("tracker")
        with gunicorn({"DATABASE_URL": url}) as site:
            ...
            pg.stop(); pg.start()

    with private_redis() as redis:          # redis-server in a temporary folder, on a free loopback port
        redis.stop(); redis.start()         # comes back with its data, as compose's appendonly Redis does

    with gunicorn(env) as site, nginx(site) as proxy:   # the shipped config/nginx template in front
        urllib.request.urlopen(f"{proxy.base}/healthz/")

initdb and postgres refuse to run as root: as root, both run as the `postgres` account.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL's server programs are not installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def as_postgres_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class PrivateCluster:
    bin: Path
    data: Path
    port: int
    log: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = as_postgres_user(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args]
        )
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> None:
        self.ctl("start", "-w", "-t", "60")

    def stop(self, mode: str = "fast") -> None:
        self.ctl("stop", "-w", "-m", mode, "-t", "60")

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def private_postgres():
    """initdb a cluster in a temporary folder, serve it on a free loopback port, remove it afterwards."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        import pytest

        pytest.skip("needs PostgreSQL's server programs (initdb, pg_ctl)")
    folder = Path(tempfile.mkdtemp(prefix="hardening-pg-"))
    folder.chmod(0o755)
    data, log, sockets = folder / "data", folder / "postgres.log", folder / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    subprocess.run(
        as_postgres_user(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        ),
        capture_output=True,
        check=True,
        timeout=120,
    )
    port = free_port()
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{sockets}'\n"
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 50\n"
        )
    cluster = PrivateCluster(bin_dir, data, port, log)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.ctl("stop", "-w", "-m", "immediate", check=False)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class PrivateRedis:
    binary: str
    folder: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
            "--appendonly", "yes", "--appendfsync", "always", "--save", "",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM: Redis flushes its append-only file and exits."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@contextmanager
def private_redis():
    """redis-server persisting to a temporary folder, on a free loopback port; removed afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        import pytest

        pytest.skip("needs redis-server")
    folder = Path(tempfile.mkdtemp(prefix="hardening-redis-"))
    server = PrivateRedis(binary, folder, free_port())
    server.start()
    try:
        yield server
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Site:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def site_env(extra: dict[str, str]) -> dict[str, str]:
    """Production-like settings over plain HTTP on loopback."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "hardening-only-not-a-secret-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "REDIS_URL": "",
        "CACHE_REDIS_URL": "",
        "API_ANON_RATE": "100000/minute",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int = 2, threads: int = 1, timeout: float = 60, production: bool = False
):
    """gunicorn serving config.wsgi on a free loopback port; stopped (its whole group) afterwards.
    production: with config/gunicorn.py's settings instead of `workers` and `threads` (sync workers, one
    connection each)."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
    command = [
        str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
        *(["-c", "config/gunicorn.py"] if production else ["--workers", str(workers), "--threads", str(threads)]),
        "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning",
    ]  # fmt: skip
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    site = Site(process, port, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{site.base}/api/v1/", timeout=5).read()  # noqa: S310 - loopback
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start:\n{site.output()}") from None
                time.sleep(0.3)
        yield site
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.unlink(missing_ok=True)


NGINX_TEMPLATE = ROOT / "config" / "nginx" / "tracker.conf.template"
# The main context the distribution's or the image's nginx.conf gives the template's server block.
NGINX_MAIN = """
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/tracker.conf;
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)), None
    )


def render_nginx_template(**values: str) -> str:
    """The template with its ${NAME} placeholders filled, as envsubst with a list of names fills them."""
    text = NGINX_TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


@dataclass
class Proxy:
    process: subprocess.Popen
    port: int
    prefix: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def errors(self) -> str:
        log = self.prefix / "error.log"
        return log.read_text(errors="replace") if log.exists() else ""


@contextmanager
def nginx(site: Site):
    """nginx with the shipped template, in front of `site`, on a free loopback port, in a temporary
    prefix (its own pid file, logs and buffers); stopped afterwards."""
    binary = nginx_binary()
    if binary is None:
        import pytest

        pytest.skip("needs nginx (Debian: apt-get install nginx)")
    prefix = Path(tempfile.mkdtemp(prefix="hardening-nginx-"))
    # nginx started as root runs its workers as nobody, which must write request bodies here.
    prefix.chmod(0o777)
    port = free_port()
    (prefix / "tracker.conf").write_text(
        render_nginx_template(NGINX_LISTEN=f"127.0.0.1:{port}", TRACKER_UPSTREAM=f"127.0.0.1:{site.port}")
    )
    (prefix / "nginx.conf").write_text(NGINX_MAIN.format(prefix=prefix))
    process = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    proxy = Proxy(process, port, prefix)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start:\n{proxy.errors()}") from None
                time.sleep(0.1)
        yield proxy
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        shutil.rmtree(prefix, ignore_errors=True)
