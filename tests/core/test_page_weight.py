"""Every reader page type's first response fits one round trip, measured on the wire.

The default guide and the starter atlas, served by the live test server over real HTTP,
asked with ``Accept-Encoding: br, gzip`` and with gzip only; the body as sent counts. The
same measurement (bench/_wire.py) gives the README's figures in bench/page_weight.py.
"""

from __future__ import annotations

import gzip
import sys

import brotli
from django.core.management import call_command

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from _wire import budget, fetch, reader_pages  # noqa: E402

DECOMPRESS = {"br": brotli.decompress, "gzip": gzip.decompress}


def test_every_reader_page_fits_its_budget_with_brotli_and_with_gzip(default_guide):
    call_command("load_atlas", verbosity=0)
    over = []
    measured = 0
    for page_type, paths in reader_pages().items():
        for path in paths:
            plain = fetch(default_guide + path)
            assert plain.status == 200, path
            for accept, expected in (("br, gzip", "br"), ("gzip", "gzip")):
                response = fetch(default_guide + path, accept)
                encoding = response.headers.get("content-encoding")
                if encoding:
                    assert encoding == expected, path
                    assert DECOMPRESS[encoding](response.body) == plain.body, path
                if len(response.body) > budget(page_type):
                    over.append((page_type, path, accept, len(response.body)))
                measured += 1
    assert measured >= 2 * 20
    assert over == []
