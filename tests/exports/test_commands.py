"""manage.py build_editions."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_build_editions_builds_every_edition_once(guide, editions_dir):
    out = io.StringIO()
    call_command("build_editions", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 8
    assert all("built in" in line for line in lines)
    assert "test-guide/section-section-2.epub" in out.getvalue()
    assert len(list(editions_dir.rglob("*.pdf"))) == 4
    again = io.StringIO()
    call_command("build_editions", "--guide", "test-guide", stdout=again)
    assert again.getvalue().count("already built") == 8


def test_build_editions_names_an_unknown_guide(guide):
    with pytest.raises(CommandError, match="--guide: no live guide has the slug 'nope'"):
        call_command("build_editions", "--guide", "nope")
