"""Collecting the guide's links, storing checks as history, and the one-click update."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fieldguide.guide.models import Action, GlossaryTerm, SectionPage
from fieldguide.library.models import Resource
from fieldguide.linkhealth.collect import collect_usages, rich_text_links
from fieldguide.linkhealth.fixes import FixError, apply_permanent_redirect, rewrite_hrefs
from fieldguide.linkhealth.models import Link, LinkCheck, LinkStatus, LinkUsage
from fieldguide.linkhealth.runner import run_checks

pytestmark = pytest.mark.django_db


def test_collect_finds_every_kind_of_link(guide):
    usages = collect_usages()
    kinds = {(u.kind, u.url) for u in usages}
    assert ("resource.doi", "https://doi.org/10.1371/journal.pmed.1002680") in kinds
    assert ("profile", "https://swopusa.org/") in kinds
    assert ("action.url", "https://example.org/") in kinds
    sections = {u.section_id for u in usages if u.kind == "resource.doi"}
    assert sections == set(SectionPage.objects.values_list("pk", flat=True))


def test_rich_text_links_skip_internal_links():
    html = (
        '<p><a href="https://a.example/x?y=1&amp;z=2">ext</a> <a linktype="page" id="3">in</a>'
        ' <a href="mailto:x@example.org">mail</a></p>'
    )
    assert rich_text_links(html) == ["https://a.example/x?y=1&z=2"]


def test_run_records_state_and_history(linked_guide, local_site, fast_config):
    summary = run_checks(config=fast_config)
    state = {link.url.replace(local_site.base, ""): link for link in Link.objects.all()}
    assert state["/moved-301"].status == LinkStatus.REDIRECTED
    assert state["/moved-301"].final_url == local_site.url("/ok")
    assert len(state["/moved-301"].redirect_chain) == 2
    assert state["/missing"].status == LinkStatus.BROKEN
    assert state["/gone"].http_status == 410
    assert state["/soft-404"].status == LinkStatus.BROKEN
    assert state["/parked"].status == LinkStatus.BROKEN
    assert state["/ok"].status == LinkStatus.OK
    assert state["/ok"].last_ok_at == state["/ok"].checked_at
    assert summary.checked == len(state) == LinkCheck.objects.count()

    run_checks(config=fast_config)
    assert LinkCheck.objects.filter(link=state["/missing"]).count() == 2
    assert Link.objects.get(pk=state["/missing"].pk).last_ok_at is None


def test_usages_name_the_section(linked_guide, local_site, fast_config):
    run_checks(config=fast_config)
    section = SectionPage.objects.get(slug="section-1")
    soft = LinkUsage.objects.get(link__url=local_site.url("/soft-404"))
    assert (soft.kind, soft.section_id) == ("action.description", section.pk)
    moved = LinkUsage.objects.filter(link__url=local_site.url("/moved-301"))
    assert {u.kind for u in moved} == {"resource.url", "section.introduction", "action.url"}


def test_one_click_update_rewrites_every_use_and_publishes(linked_guide, local_site, fast_config):
    run_checks(config=fast_config)
    section = SectionPage.objects.get(slug="section-1")
    revisions_before = section.revisions.count()
    link = Link.objects.get(url=local_site.url("/moved-301"))

    report = apply_permanent_redirect(link)

    new = local_site.url("/ok")
    assert Resource.objects.get().url == new
    section = SectionPage.objects.get(pk=section.pk)
    assert f'href="{new}"' in section.introduction
    assert local_site.url("/moved-301") not in section.introduction
    assert section.actions.get(title="Learn where your state stands").url == new
    assert section.revisions.count() == revisions_before + 1
    assert section.live_revision == section.latest_revision
    assert not section.has_unpublished_changes
    assert len(report.updated) >= 3
    assert not LinkUsage.objects.filter(link=link).exists()
    assert Link.objects.get(url=new).usages.count() > 0


def test_update_keeps_an_unpublished_draft(linked_guide, local_site, fast_config):
    run_checks(config=fast_config)
    section = SectionPage.objects.get(slug="section-1")
    section.summary = "A draft summary not yet published."
    section.save_revision()
    apply_permanent_redirect(Link.objects.get(url=local_site.url("/moved-301")))

    section = SectionPage.objects.get(pk=section.pk)
    assert section.summary == "Summary of section 1."
    assert local_site.url("/moved-301") not in section.introduction
    draft = section.get_latest_revision_as_object()
    assert draft.summary == "A draft summary not yet published."
    assert local_site.url("/moved-301") not in draft.introduction


def test_update_refuses_links_that_did_not_move_permanently(linked_guide, local_site, fast_config):
    run_checks(config=fast_config)
    with pytest.raises(FixError, match="moved permanently"):
        apply_permanent_redirect(Link.objects.get(url=local_site.url("/missing")))


def test_rewrite_hrefs_matches_the_stored_escaped_form():
    html = '<p><a href="https://old.example/a?x=1&amp;y=2">A</a> <a href="https://keep.example/">B</a></p>'
    out = rewrite_hrefs(html, "https://old.example/a?x=1&y=2", "https://new.example/a")
    assert (
        out == '<p><a href="https://new.example/a">A</a> <a href="https://keep.example/">B</a></p>'
    )


def test_update_in_glossary_and_action_description(linked_guide, local_site, fast_config):
    moved = local_site.url("/moved-308")
    GlossaryTerm.objects.update(definition=f'<p><a href="{moved}">Campaign</a></p>')
    section = SectionPage.objects.get(slug="section-1")
    actions = list(section.actions.all())
    actions[1].description = f'<p><a href="{moved}">Sign up</a></p>'
    section.actions = actions
    section.save_revision().publish()
    run_checks(urls=[moved], config=fast_config)

    apply_permanent_redirect(Link.objects.get(url=moved))

    term = GlossaryTerm.objects.get()
    assert term.definition == f'<p><a href="{local_site.url("/ok")}">Campaign</a></p>'
    assert term.revisions.count() == 1
    action = Action.objects.get(page=section, title="Volunteer with a local group")
    assert action.description == f'<p><a href="{local_site.url("/ok")}">Sign up</a></p>'


def test_command_reports_counts_and_rejects_bad_options(linked_guide, local_site, capsys):
    call_command("check_links", "--url", local_site.url("/gone"), "--timeout", "1", "--delay", "0")
    assert "Checked 1 link: 1 broken." in capsys.readouterr().out
    with pytest.raises(CommandError, match="--timeout must be a number"):
        call_command("check_links", "--timeout", "soon")
    with pytest.raises(CommandError, match="--per-host must be at least 1"):
        call_command("check_links", "--per-host", "0")


def test_background_task_runs_the_check(linked_guide, local_site, settings):
    from fieldguide.linkhealth.tasks import check_links_task

    settings.LINKHEALTH_TIMEOUT, settings.LINKHEALTH_PER_HOST_DELAY = 1.0, 0.0
    result = check_links_task.enqueue(urls=[local_site.url("/gone")])
    assert result.return_value == "Checked 1 link: 1 broken."
    assert Link.objects.get(url=local_site.url("/gone")).http_status == 410
