"""Shared set-up for benchmarks: a throwaway database with the default guide loaded."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_site(load_default: bool = True) -> Path:
    """Point Django at a fresh SQLite file in a temporary folder and load the default guide."""
    var_dir = Path(tempfile.mkdtemp(prefix="fieldguide-bench-"))
    os.environ["FIELDGUIDE_VAR_DIR"] = str(var_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldguide.settings")
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
