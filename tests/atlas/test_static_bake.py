"""The baked static site has no lookup form that would lead to a missing page."""

from __future__ import annotations

import io

from django.core.management import call_command

from fieldguide.exports.static_site import without_post_forms


def test_baked_atlas_replaces_the_lookup_with_a_note_and_the_state_pages(guide, atlas, tmp_path):
    root = tmp_path / "site"
    call_command("bake_static", str(root), stdout=io.StringIO())
    index = (root / "atlas" / "index.html").read_text()
    topic = (root / "atlas" / "topics" / "selling-sex" / "index.html").read_text()
    for html in (index, topic):
        assert 'class="atlas-lookup"' not in html and "/atlas/lookup/" not in html
        assert "This copy of the site is static, so it cannot look places up." in html
        assert '<a href="/atlas/#places">Choose your state or territory' in html
    assert '<h2 id="places">States and territories</h2>' in index
    for slug in ("md", "dc", "pr", "nv"):
        assert f'href="/atlas/places/{slug}/"' in index
        assert (root / "atlas" / "places" / slug / "index.html").is_file()
    for baked in root.rglob("*.html"):
        assert 'action="/atlas/lookup/"' not in baked.read_text(), baked


def test_only_marked_forms_become_the_note():
    html = (
        '<form class="site-search" method="get" action="/search/"><input name="q"></form>'
        '<form action="/atlas/lookup/" method="get" data-static-href="/atlas/#places" '
        'data-static-label="Pick a state."><input name="place"></form>'
    )
    assert without_post_forms(html) == (
        '<form class="site-search" method="get" action="/search/"><input name="q"></form>'
        '<p class="notice static-form-notice">This copy of the site is static, so it cannot '
        'look places up. <a href="/atlas/#places">Pick a state.</a></p>'
    )
