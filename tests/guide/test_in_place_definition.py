"""Glossary terms explained in place: whole when short, opening sentences when long."""

from __future__ import annotations

from fieldguide.guide.templatetags.guide_tags import IN_PLACE_CHARACTERS, in_place_definition


def test_a_short_definition_is_shown_whole_with_its_markup():
    html = 'Arrest without <a href="https://example.org/">a charge</a>.'
    assert in_place_definition(html) == html


def test_a_long_definition_stops_at_a_sentence_and_says_there_is_more():
    first = "US federal law uses two terms for this, and they differ in one element. "
    html = "<b>" + first + "The second sentence is long " + "and goes on " * 30 + ".</b>"
    shown = in_place_definition(html)
    assert shown == first.strip() + " …"
    assert len(shown) <= IN_PLACE_CHARACTERS + 2


def test_a_long_sentence_is_cut_between_words_and_escaped():
    html = "When p &lt; 0.05 " + "word " * 80
    shown = in_place_definition(html)
    assert shown.endswith("word …") and "wor …" not in shown.replace("word …", "")
    assert shown.startswith("When p &lt; 0.05 word")
