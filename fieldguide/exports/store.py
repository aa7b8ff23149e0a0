"""Built editions on disk, keyed by the guide's content version.

Files live at ``<FIELDGUIDE_EDITIONS_DIR>/<guide id>-<content version>/<name>.<format>``
(default ``var/editions``). A publish changes the content version, so the next request
builds into a new folder; folders of older versions are removed after an hour, which
leaves time for any request still reading them. A lock per file keeps concurrent
requests from building the same edition twice.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from fieldguide.guide.models import GuideHomePage

from .content import CHAPTER_FILES, SINGLE_DOCUMENT, gather, live_sections
from .editions import EditionFormat, EditionKind, EditionSpec
from .errors import EditionBuildError
from .version import content_version

STALE_AFTER_SECONDS = 3600


def editions_dir() -> Path:
    return Path(getattr(settings, "FIELDGUIDE_EDITIONS_DIR", settings.VAR_DIR / "editions"))


@dataclass(frozen=True)
class BuiltEdition:
    spec: EditionSpec
    path: Path
    version: str
    built: bool

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def _version_dir(home: GuideHomePage, version: str) -> Path:
    return editions_dir() / f"{home.pk}-{version}"


def build_bytes(home: GuideHomePage, spec: EditionSpec) -> bytes:
    """Build one edition now, without touching the store."""
    if spec.kind == EditionKind.SECTION and spec.section_slug not in {
        s.slug for s in live_sections(home)
    }:
        raise EditionBuildError(
            f"{spec.filename}: no live section with the slug {spec.section_slug!r}"
        )
    if spec.fmt == EditionFormat.PDF:
        from .pdf import build_pdf

        return build_pdf(gather(home, spec, SINGLE_DOCUMENT))
    from .epub import build_epub

    return build_epub(gather(home, spec, CHAPTER_FILES))


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    with open(path.with_name(f".{path.name}.lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomically(path: Path, data: bytes) -> None:
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _remove_stale_versions(home: GuideHomePage, current: str) -> None:
    cutoff = time.time() - STALE_AFTER_SECONDS
    for folder in editions_dir().glob(f"{home.pk}-*"):
        if folder.name != f"{home.pk}-{current}" and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def get_or_build(
    home: GuideHomePage, spec: EditionSpec, version: str | None = None
) -> BuiltEdition:
    """The stored file for ``spec`` at the guide's current content, built if missing."""
    version = version or content_version(home)
    folder = _version_dir(home, version)
    path = folder / spec.filename
    if path.exists():
        return BuiltEdition(spec, path, version, built=False)
    folder.mkdir(parents=True, exist_ok=True)
    with _lock(path):
        if path.exists():
            return BuiltEdition(spec, path, version, built=False)
        _write_atomically(path, build_bytes(home, spec))
    _remove_stale_versions(home, version)
    _refresh_cached_pages()
    _purge_front_cache(spec)
    return BuiltEdition(spec, path, version, built=True)


def _purge_front_cache(spec: EditionSpec) -> None:
    """A front cache may hold the previous file under the same URL: drop it."""
    from fieldguide.core.front_cache import purge_paths

    purge_paths([spec.url_path])


def stored(home: GuideHomePage, spec: EditionSpec, version: str) -> BuiltEdition | None:
    """The file for ``spec`` at this content version, if it is built."""
    path = _version_dir(home, version) / spec.filename
    return BuiltEdition(spec, path, version, built=False) if path.exists() else None


def previous_edition(home: GuideHomePage, spec: EditionSpec) -> BuiltEdition | None:
    """The newest file built for ``spec`` at any content version (older ones are kept
    for an hour after a newer one is built)."""
    found = []
    for path in editions_dir().glob(f"{home.pk}-*/{spec.filename}"):
        try:
            found.append((path.stat().st_mtime, path))
        except OSError:
            continue  # removed meanwhile
    if not found:
        return None
    path = max(found)[1]
    return BuiltEdition(spec, path, path.parent.name.split("-", 1)[1], built=False)


def _refresh_cached_pages() -> None:
    """Pages show the sizes of built files: let a whole-page cache render them again."""
    try:
        from fieldguide.core.page_cache import bump_generation
    except ImportError:
        return
    bump_generation()


def known_size(home: GuideHomePage, spec: EditionSpec, version: str) -> int | None:
    """The size of the stored file for this content version, if it has been built."""
    try:
        return (_version_dir(home, version) / spec.filename).stat().st_size
    except OSError:
        return None
