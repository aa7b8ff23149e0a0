"""Hostile bundles: alias bombs, links out of the bundle, absurd depth and sizes.

Each is refused with a ``file:line: field: reason`` problem, never a traceback, and the
bomb is refused in bounded memory (checked in a child process under an address-space
limit the old loader blew through).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fieldguide.guide import bundle as bundle_module
from fieldguide.guide.bundle import BundleInvalid, read_bundle

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "content" / "default"
#: The old loader used 2.3 GB on the bomb below; Django with the loader needs far less.
ADDRESS_SPACE_LIMIT = 1536 * 1024 * 1024


@pytest.fixture
def bundle_copy(tmp_path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(DEFAULT, target)
    return target


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BundleInvalid) as excinfo:
        read_bundle(path)
    return [str(p) for p in excinfo.value.problems]


def alias_bomb(levels: int = 9) -> str:
    """About 1 KB of YAML that expands to 10**levels strings ("billion laughs")."""
    lines = ['a0: &a0 "lol lol lol lol lol lol lol lol"']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def _limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


def test_alias_bomb_is_refused_in_bounded_memory(bundle_copy):
    bomb = alias_bomb()
    assert len(bomb) < 1500
    # The old loader expanded it when it named the bad entries of "sections".
    (bundle_copy / "guide.yaml").write_text(
        "format: 1\nslug: x\ntitle: X\n" + bomb + "sections: *a9\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "load_guide", "--check", str(bundle_copy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_address_space,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "MemoryError" not in result.stderr
    assert "guide.yaml:4: invalid YAML: anchors (&a0) are not allowed" in result.stderr


def test_an_alias_alone_is_refused_with_its_line(bundle_copy):
    library = bundle_copy / "library.yaml"
    text = library.read_text()
    first_title = next(line for line in text.splitlines() if line.startswith("    title: "))
    library.write_text(text.replace(first_title, "    title: *somewhere", 1))
    line = next(i for i, x in enumerate(library.read_text().splitlines(), 1) if "*somewhere" in x)
    assert f"library.yaml:{line}: invalid YAML: aliases (*somewhere) are not allowed" in (
        problems_of(bundle_copy)
    )


def test_a_merge_key_needs_an_alias_and_is_refused(bundle_copy):
    (bundle_copy / "glossary.yaml").write_text(
        "base: &base {attribution: A}\nterms:\n  - <<: *base\n    term: T\n"
    )
    problems = problems_of(bundle_copy)
    assert "glossary.yaml:1: invalid YAML: anchors (&base) are not allowed" in problems


def test_symlink_to_a_file_outside_the_bundle_is_refused(bundle_copy, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\nsummary: s\nresources: []\n---\nThe server's secret.\n")
    section = bundle_copy / "sections" / "war-on-drugs.md"
    section.unlink()
    section.symlink_to(secret)
    problems = problems_of(bundle_copy)
    assert "sections/war-on-drugs.md: is a link to a file outside the bundle" in problems


def test_symlinked_folder_outside_the_bundle_is_refused(bundle_copy, tmp_path):
    outside = tmp_path / "elsewhere"
    shutil.move(bundle_copy / "pages", outside)
    (bundle_copy / "pages").symlink_to(outside, target_is_directory=True)
    problems = problems_of(bundle_copy)
    assert "pages/about.md: is a link to a file outside the bundle" in problems


def test_symlink_inside_the_bundle_is_allowed(bundle_copy):
    about = bundle_copy / "pages" / "about.md"
    shutil.move(about, bundle_copy / "about-source.md")
    about.symlink_to(Path("..") / "about-source.md")
    assert read_bundle(bundle_copy).pages


def test_a_path_out_of_the_bundle_is_not_a_valid_name(bundle_copy):
    guide = bundle_copy / "guide.yaml"
    guide.write_text(guide.read_text().replace("  - about\n", "  - ../../etc/passwd\n", 1))
    problems = problems_of(bundle_copy)
    assert any(
        "pages[" in p and "'../../etc/passwd' is not a valid file name" in p for p in problems
    ), problems


@pytest.mark.django_db
def test_deep_nesting_is_a_problem_not_a_traceback(bundle_copy):
    depth = 20_000
    (bundle_copy / "glossary.yaml").write_text("terms: " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(CommandError) as excinfo:
        call_command("load_guide", str(bundle_copy), "--check")
    assert (
        f"glossary.yaml:1: invalid YAML: nested more than {bundle_module.MAX_DEPTH} levels deep"
        in str(excinfo.value)
    )


def test_deeply_nested_markdown_is_a_problem(bundle_copy):
    body = "".join("  " * i + "- item\n" for i in range(1000))
    (bundle_copy / "pages" / "about.md").write_text("---\ntitle: About\n---\n" + body)
    too_deep = 2 * bundle_module.MAX_DEPTH + 1  # the first list item indented past the limit
    expected = f"pages/about.md:{4 + too_deep}: body: the Markdown is nested too deeply"
    assert expected in problems_of(bundle_copy)


def test_a_huge_file_is_refused_before_it_is_read(bundle_copy):
    big = bundle_copy / "library.yaml"
    with big.open("a") as handle:
        handle.write("#" * (bundle_module.MAX_FILE_BYTES + 10))
    size = big.stat().st_size
    assert (
        f"library.yaml: is {size} bytes; the limit is {bundle_module.MAX_FILE_BYTES}"
        in problems_of(bundle_copy)
    )


def test_too_many_entries_are_refused(bundle_copy):
    path = bundle_copy / "sections" / "war-on-drugs.md"
    count = bundle_module.MAX_ENTRIES + 1
    flood = "questions: [" + ", ".join(["q"] * count) + "]\n"
    text = path.read_text()
    path.write_text(text.replace("questions:\n", flood + "old_questions:\n", 1))
    problems = problems_of(bundle_copy)
    assert any(
        p.startswith("sections/war-on-drugs.md:")
        and f"questions: has {count} entries; the limit is {bundle_module.MAX_ENTRIES}" in p
        for p in problems
    ), problems


def test_long_free_text_is_refused(bundle_copy):
    path = bundle_copy / "profiles.yaml"
    text = path.read_text()
    first = next(x for x in text.splitlines() if x.startswith("    description: "))
    long = "x" * (bundle_module.MAX_TEXT_CHARS + 1)
    path.write_text(text.replace(first, f"    description: {long}", 1))
    problems = problems_of(bundle_copy)
    assert any(
        "profiles[1].description: Ensure this value has at most "
        f"{bundle_module.MAX_TEXT_CHARS} characters" in p
        for p in problems
    ), problems
