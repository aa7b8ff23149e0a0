"""Every page type renders with its parts; derived dates; glossary links."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from fieldguide.guide.freshness import guide_updated_at
from fieldguide.guide.models import GlossaryTerm, SectionPage, SectionStatus
from fieldguide.guide.templatetags.guide_tags import link_first_mentions, outbound_rel

pytestmark = pytest.mark.django_db


def test_home_lists_sections_in_order_with_summaries(client, guide):
    html = client.get("/").content.decode()
    assert "<h1>Test Guide</h1>" in html
    assert "Who it is for" in html and "How to use it" in html
    assert html.index("Section 1") < html.index("Section 2")
    assert "Summary of section 2." in html
    assert html.count("<h1") == 1


def test_section_page_shows_resources_questions_profiles_actions(client, guide):
    html = client.get("/section-1/").content.decode()
    assert "Associations between sex work laws and sex workers&#x27; health" in html
    assert "Peer-reviewed article" in html and "Open access" in html
    assert "Why it is here:</strong> Key evidence." in html
    assert 'href="https://doi.org/10.1371/journal.pmed.1002680"' in html
    assert [q for q in re.findall(r"<li>(Question \d of section 1\?)</li>", html)] == [
        "Question 1 of section 1?",
        "Question 2 of section 1?",
        "Question 3 of section 1?",
    ]
    assert "SWOP USA" in html
    assert "Learn where your state stands" in html and "Volunteer" in html
    assert 'rel="next" href="/section-2/"' in html
    assert 'rel="prev"' not in html
    assert "Updated <time" in html
    assert "Guide contents" in html


def test_outbound_links_never_send_a_referrer(client, guide):
    html = client.get("/section-1/").content.decode()
    external = re.findall(r'<a [^>]*href="https?://[^"]*"[^>]*>', html)
    assert external
    assert all('rel="noopener noreferrer"' in tag for tag in external), external


def test_glossary_has_an_anchor_per_term_and_attribution(client, guide):
    html = client.get("/glossary/").content.decode()
    assert 'id="harm-reduction"' in html
    assert "Drawing on National Harm Reduction Coalition" in html


def test_first_mention_of_a_term_is_explained_in_place_with_a_link_to_the_entry(client, guide):
    html = client.get("/section-1/").content.decode()
    assert html.count('class="term" popovertarget="define-harm-reduction"') == 1
    assert html.count('id="define-harm-reduction" popover>') == 1
    assert html.count('class="term-pop__link" href="/glossary/#harm-reduction"') == 1


def test_term_linking_skips_links_and_headings_and_links_once():
    term = GlossaryTerm(term="Harm reduction", slug="harm-reduction", aliases="harm-reduction")
    html = (
        "<h2>Harm reduction</h2><p><a href='/x'>harm reduction</a> then Harm reduction "
        "and harm reduction again.</p>"
    )
    out = link_first_mentions(html, [term], "/glossary/")
    assert out.count('href="/glossary/#harm-reduction"') == 1
    assert out.startswith("<h2>Harm reduction</h2><p><a href='/x'>harm reduction</a> then <a class")


def test_outbound_rel_keeps_existing_rel_and_internal_links():
    html = '<a href="https://a.example/">a</a> <a href="/local/">b</a> <a rel="me" href="https://b.example/">c</a>'
    out = outbound_rel(html)
    assert '<a href="https://a.example/" rel="noopener noreferrer">' in out
    assert '<a href="/local/">' in out
    assert '<a rel="me" href="https://b.example/">' in out


def test_standard_and_contact_pages_render(client, guide):
    assert "About the guide." in client.get("/about/").content.decode()
    html = client.get("/contact/").content.decode()
    assert 'name="message"' in html and "A correction" in html


def test_updated_date_moves_only_when_content_changes(guide):
    section = SectionPage.objects.get(slug="section-1")
    status = SectionStatus.objects.get(page=section)
    first = status.content_changed_at
    assert first is not None
    section.save_revision().publish()
    status.refresh_from_db()
    assert status.content_changed_at == first, "republishing unchanged content is not a change"
    section = SectionPage.objects.get(pk=section.pk)
    section.summary = "A new summary."
    section.save_revision().publish()
    status.refresh_from_db()
    assert status.content_changed_at > first


def test_footer_date_is_the_latest_section_change(client, guide):
    latest = guide_updated_at(guide)
    statuses = SectionStatus.objects.all()
    assert latest == max(s.content_changed_at for s in statuses)
    html = client.get("/about/").content.decode()
    assert f'Guide last updated <time datetime="{timezone.localtime(latest).isoformat()}' in html


def test_unknown_page_is_a_friendly_404(client, guide):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_reader_pages_set_no_cookies_and_strict_headers(client, guide):
    for url in ("/", "/section-1/", "/glossary/", "/about/", "/search/?q=harm"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response["Permissions-Policy"]


def test_citation_line_has_no_doubled_period_after_et_al(client, guide):
    from fieldguide.library.models import Creator, Resource

    resource = Resource.objects.get(key="platt-2018")
    for n, family in enumerate(["Grenfell", "Meiksin", "Elmes"], start=1):
        Creator.objects.create(resource=resource, family=family, given="A.", sort_order=n)
    html = client.get("/section-1/").content.decode()
    assert "et al. (2018)." in html
    assert "et al.." not in html


def test_every_page_links_to_act_where_you_live(client, guide):
    for url in ("/", "/section-1/", "/glossary/"):
        assert '<a href="/atlas/">Act where you live</a>' in client.get(url).content.decode()
