"""Real servers for tests, on loopback and free ports, stopped by the tests that start them:
`campaign-kit serve` (gunicorn) and Debian's redis-server (a shared store for several copies;
scripts/setup.sh --dev installs it)."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """`campaign-kit serve` on a free port, with `args` and `env` added, run in `cwd` (default
    `root`, where its log goes); waits until every worker has booted and /healthz answers."""

    def __init__(self, root: Path, *args: str, env: dict[str, str] | None = None,
                 workers: int = 2, cwd: Path | None = None):
        root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.log = root / f"serve-{self.port}.log"
        self.workers = workers
        environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
        if "CAMPAIGN_KIT_SECRET" not in (env or {}):
            environment.pop("CAMPAIGN_KIT_SECRET", None)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "campaign_kit", "serve", "--port", str(self.port),
                 "--workers", str(workers), *args], cwd=cwd or root, env=environment, stdout=log,
                stderr=subprocess.STDOUT)
        self.wait()

    def wait(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server stopped: {self.log.read_text()}")
            if self.log.read_text(errors="replace").count("Booting worker") >= self.workers:
                try:
                    if get(self.port, "/healthz")[0] == 200:
                        time.sleep(1.5)  # the warm-up letters
                        return
                except OSError:
                    pass
            time.sleep(0.3)
        self.stop()
        raise AssertionError(f"the server did not start: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


class Redis:
    """Debian's redis-server on a free loopback port, keeping nothing on disk."""

    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(root), "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def get(port: int, path: str, headers: dict | None = None, timeout: float = 30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        reply = connection.getresponse()
        return reply.status, dict(reply.getheaders()), reply.read()
    finally:
        connection.close()


class Browser:
    """One visitor over HTTP: a cookie and the form token from the last page."""

    def __init__(self, port: int, address: str = ""):
        self.port = port
        self.headers = {"X-Forwarded-For": address} if address else {}
        status, headers, body = get(port, "/", self.headers)
        self.cookie = headers.get("Set-Cookie", "").split(";")[0]
        self.token = token_of(body)

    def post(self, path: str, form: dict, token: str | None = None, timeout: float = 60):
        body = urllib.parse.urlencode({"token": self.token if token is None else token,
                                       **form}, doseq=True)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("POST", path, body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie,
                **self.headers})
            reply = connection.getresponse()
            data = reply.read()
        finally:
            connection.close()
        if reply.getheader("Content-Type", "").startswith("text/html"):
            self.token = token_of(data) or self.token
        return reply.status, data


def token_of(body: bytes) -> str:
    found = re.search(rb'name="token" value="([0-9a-f]{64})"', body)
    return found.group(1).decode() if found else ""
