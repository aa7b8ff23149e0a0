"""Real command-line checkers for built editions: poppler and epubcheck."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is not installed and CI=true")
        pytest.skip(f"{name} is not installed")
    return path


def pdf_text(path: Path) -> str:
    require_tool("pdftotext")
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_outline(path: Path) -> list[str]:
    """Bookmark titles, in order, from poppler's XML dump."""
    require_tool("pdftohtml")
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    outline = xml[xml.find("<outline") :]
    return re.findall(r"<item[^>]*>([^<]*)</item>", outline)


def pdf_info(path: Path) -> dict[str, str]:
    require_tool("pdfinfo")
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_structure(path: Path) -> str:
    require_tool("pdfinfo")
    return subprocess.run(
        ["pdfinfo", "-struct", str(path)], capture_output=True, text=True, check=True
    ).stdout


def epubcheck(path: Path) -> subprocess.CompletedProcess:
    """Run epubcheck; fail under CI=true when it is missing, else skip."""
    require_tool("java")
    if not EPUBCHECK_JAR.exists():
        if IN_CI:
            pytest.fail(f"{EPUBCHECK_JAR} is missing and CI=true (apt-get install epubcheck)")
        pytest.skip("epubcheck is not installed (apt-get install epubcheck)")
    return subprocess.run(
        ["java", "-jar", str(EPUBCHECK_JAR), str(path)], capture_output=True, text=True, timeout=180
    )
