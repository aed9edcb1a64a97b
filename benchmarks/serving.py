"""Serving the site for a benchmark: a free loopback port, gunicorn as configured for production
(config/gunicorn.py), each server in a process group of its own so that stopping it stops its workers."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_workers(variable: str) -> int:
    """The number of gunicorn workers a benchmark runs: the environment's `variable`, else production's
    (config/gunicorn.py)."""
    from config import gunicorn as production

    return int(os.environ.get(variable) or production.workers)


def gunicorn_command(port: int, *options: str) -> list[str]:
    return [
        str(BIN / "gunicorn"),
        "config.wsgi",
        "-c",
        "config/gunicorn.py",
        "--bind",
        f"127.0.0.1:{port}",
        *options,
    ]


def wait_until_up(url: str, seconds: float = 60, process=None) -> None:
    """Until `url` answers at all (an error status is an answer: the server is up)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
                response.read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {process.returncode} before answering {url}"
                ) from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer at {url}") from None
            time.sleep(0.3)


def start(command: list[str], env: dict, url: str, seconds: float = 60) -> subprocess.Popen:
    """Run a server, its output discarded, and return once `url` answers."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(url, seconds, process)
    except BaseException:
        stop(process)
        raise
    return process


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
