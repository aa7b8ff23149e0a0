"""The production shape on loopback: two Gunicorn instances on PostgreSQL and Redis
behind Varnish (deploy/varnish/fieldguide.vcl), each its own process on an ephemeral port.
"""

from __future__ import annotations

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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VCL = ROOT / "deploy" / "varnish" / "fieldguide.vcl"
READER_HOST = "localhost"  # the default Site's hostname: what purges name


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def backends_vcl(ports: list[int]) -> str:
    """deploy/varnish/backends.vcl with these ports and a faster probe."""
    text = (VCL.parent / "backends.vcl").read_text()
    text = text.replace(".interval = 1s;", ".interval = 200ms;")
    for default, port in zip(("8001", "8002"), ports, strict=True):
        text = text.replace(f'.port = "{default}";', f'.port = "{port}";')
    return text


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def get(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 5) -> Reply:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": READER_HOST, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read())


@dataclass
class Shape:
    """Two app instances and a front cache; ``env`` is what every instance runs with."""

    workdir: Path
    env: dict[str, str]
    app_ports: list[int]
    front_port: int
    varnish_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="fg-vcl-")))
    apps: list[subprocess.Popen | None] = field(default_factory=list)
    varnish: subprocess.Popen | None = None

    def manage(self, *args: str, script: str | None = None, timeout: float = 60) -> str:
        command = [sys.executable, "manage.py", *args]
        if script is not None:
            command = [sys.executable, "manage.py", "shell", "-c", script]
        result = subprocess.run(
            command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0:
            raise AssertionError(f"{command[2:4]} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout + result.stderr

    def start_app(self, index: int) -> None:
        log = (self.workdir / f"app{index}.log").open("ab")
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")), "fieldguide.wsgi:application",
                "--bind", f"127.0.0.1:{self.app_ports[index]}",
                "--workers", "1", "--threads", "4", "--graceful-timeout", "5",
                "--control-socket", str(self.workdir / f"app{index}.ctl"),
            ],
            cwd=ROOT, env=self.env, stdout=log, stderr=log,
        )  # fmt: skip
        if len(self.apps) <= index:
            self.apps.extend([None] * (index + 1 - len(self.apps)))
        self.apps[index] = process

    def wait_app(self, index: int, deadline: float = 60) -> None:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            try:
                if get(self.app_ports[index], "/healthz", timeout=1).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"app {index} did not start: {self.log(f'app{index}.log')}")

    def stop_app(self, index: int) -> None:
        process = self.apps[index]
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)
        self.apps[index] = None

    def start_varnish(self) -> None:
        # Varnish compiles VCL as its own unprivileged user: the folder must be readable.
        self.varnish_dir.chmod(0o755)
        vcl_dir = self.varnish_dir / "vcl"
        vcl_dir.mkdir(exist_ok=True)
        vcl_dir.chmod(0o755)
        (vcl_dir / "backends.vcl").write_text(backends_vcl(self.app_ports))
        (vcl_dir / "backends.vcl").chmod(0o644)
        log = (self.workdir / "varnish.log").open("ab")
        self.varnish = subprocess.Popen(
            [
                shutil.which("varnishd") or "/usr/sbin/varnishd", "-F",
                "-a", f"127.0.0.1:{self.front_port}",
                "-f", str(VCL), "-p", f"vcl_path={vcl_dir}",
                "-n", str(self.varnish_dir / "work"), "-s", "malloc,64m",
                "-T", "none",
            ],
            stdout=log, stderr=log,
        )  # fmt: skip
        end = time.monotonic() + 30
        while time.monotonic() < end:
            try:
                get(self.front_port, "/healthz", timeout=1)  # any answer: it listens
                return
            except OSError:
                pass
            if self.varnish.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"varnish did not start: {self.log('varnish.log')}")

    def wait_front(self, deadline: float = 30) -> None:
        """Until the front cache's probes find an instance healthy."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if get(self.front_port, "/healthz", timeout=2).status == 200:
                return
            time.sleep(0.1)
        raise AssertionError(f"no healthy backend: {self.log('varnish.log')}")

    def stop_varnish(self) -> None:
        if self.varnish is not None and self.varnish.poll() is None:
            self.varnish.send_signal(signal.SIGTERM)
            self.varnish.wait(timeout=15)
        self.varnish = None

    def log(self, name: str) -> str:
        path = self.workdir / name
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        for index in range(len(self.apps)):
            self.stop_app(index)
        self.stop_varnish()
        shutil.rmtree(self.varnish_dir, ignore_errors=True)


def shape_env(workdir: Path, database_url: str, redis_url: str, front_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=f"scale-test-{os.getpid()}",
        FRONT_CACHE_URL=f"http://127.0.0.1:{front_port}",
        FRONT_CACHE_HOST=READER_HOST,
        FIELDGUIDE_VAR_DIR=str(workdir / "var"),
        SECRET_KEY="scale-test-secret-key-shared-by-both-instances",
        DJANGO_SETTINGS_MODULE="fieldguide.settings",
        LOG_LEVEL="WARNING",
    )
    return env
