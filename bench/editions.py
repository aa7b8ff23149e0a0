"""Build time and size of every edition of the default guide, cold and cached.

    .venv/bin/python bench/editions.py [--bundle content/default] [--keep DIR]

Runs against a throwaway SQLite database in a temporary folder (migrated, then loaded
with ``load_guide``), so it never touches var/. "cold" builds the file; "cached" is a
second request for it through the real URL (content version + stored file); "stored"
is the store lookup alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--bundle", default=str(ROOT / "content" / "default"))
    parser.add_argument("--keep", help="copy the built files into this folder")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="fieldguide-bench-"))
    os.environ["FIELDGUIDE_VAR_DIR"] = str(workdir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldguide.settings")
    # Django's test client, used in process here, calls itself "testserver"; the site's
    # default ALLOWED_HOSTS no longer lists it.
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from wagtail.models import Site

    from fieldguide.exports.editions import guide_specs
    from fieldguide.exports.store import get_or_build
    from fieldguide.exports.templatetags.edition_tags import edition_url
    from fieldguide.exports.version import content_version

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_guide", args.bundle, verbosity=0)
    home = Site.objects.get(is_default_site=True).root_page.specific
    sections = [s.slug for s in home.sections()]
    client = Client()
    print(f"guide: {home.title!r}, {len(sections)} sections; editions in {settings.VAR_DIR}")
    print(f"{'edition':45} {'size':>10} {'cold s':>8} {'cached ms':>10} {'stored ms':>10}")
    total_cold = 0.0
    for spec in guide_specs(sections):
        start = time.perf_counter()
        built = get_or_build(home, spec)
        cold = time.perf_counter() - start
        assert built.built, spec
        start = time.perf_counter()
        response = client.get(edition_url(spec))
        b"".join(response.streaming_content)
        cached = time.perf_counter() - start
        assert response.status_code == 200, (spec, response.status_code)
        version = content_version(home)
        start = time.perf_counter()
        get_or_build(home, spec, version)
        stored = time.perf_counter() - start
        total_cold += cold
        print(
            f"{spec.filename:45} {built.size:>10,} {cold:>8.2f} {cached * 1000:>10.1f} "
            f"{stored * 1000:>10.2f}"
        )
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(built.path, Path(args.keep) / spec.filename)
    print(f"total cold build time: {total_cold:.1f} s")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
