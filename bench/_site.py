"""Shared set-up for benchmarks: a throwaway database with the default guide loaded."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_site(load_default: bool = True) -> Path:
    """Point Django at a fresh SQLite file in a temporary folder and load the default guide."""
    var_dir = Path(tempfile.mkdtemp(prefix="fieldguide-bench-"))
    os.environ["FIELDGUIDE_VAR_DIR"] = str(var_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldguide.settings")
    # Django's test client, used in process here, calls itself "testserver"; the site's
    # default ALLOWED_HOSTS no longer lists it.
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if load_default:
        call_command("load_guide", str(ROOT / "content" / "default"), verbosity=0)
        call_command("update_index", verbosity=0)
    return var_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listening on {port}")


@contextmanager
def gunicorn(var_dir: Path, workers: int = 4):
    """The site under Gunicorn on a free loopback port; yields its base URL."""
    port = free_port()
    env = {**os.environ, "FIELDGUIDE_VAR_DIR": str(var_dir), "ALLOWED_HOSTS": "127.0.0.1"}
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "fieldguide.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_for(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=60)


@contextmanager
def nginx_serving(body: bytes, docroot: Path, workers: int, *, gzip: bool = False):
    """nginx serving ``body`` as a static file from ``docroot`` on a free loopback port:
    the reference run of the serving benches. Yields the file's URL."""
    port = free_port()
    page = docroot / "page.html"
    page.write_bytes(body)
    docroot.chmod(0o755)
    page.chmod(0o644)
    conf = docroot / "nginx.conf"
    conf.write_text(
        f"worker_processes {workers};\npid {docroot}/nginx.pid;\nerror_log stderr;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log off; default_type text/html;{' gzip on;' if gzip else ''}\n"
        f"  server {{ listen 127.0.0.1:{port}; root {docroot}; }} }}\n"
    )
    process = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(docroot), "-g", "daemon off;"])
    try:
        wait_for(port)
        yield f"http://127.0.0.1:{port}/page.html"
    finally:
        process.send_signal(signal.SIGQUIT)
        process.wait(timeout=10)
