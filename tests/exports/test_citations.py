"""The citation line under each resource in an edition."""

from __future__ import annotations

import pytest

from fieldguide.exports.citations import citation_html
from fieldguide.library.citations import citation_html as library_citation_html
from fieldguide.library.citations import plain_citation_html as simple_citation_html
from fieldguide.library.models import Resource
from tests.factories import make_resource

pytestmark = pytest.mark.django_db


def test_editions_use_the_librarys_apa_citation():
    resource = make_resource()
    line = citation_html(resource)
    assert line == library_citation_html(resource, "apa")
    assert line.startswith("Platt, L. (2018).")
    assert "https://doi.org/10.1371/journal.pmed.1002680" in line


def test_simple_line_has_creators_year_title_container_and_doi():
    resource = make_resource()
    assert simple_citation_html(resource) == (
        "Platt L. (2018). Associations between sex work laws and sex workers&#x27; health. "
        "<cite>PLOS Medicine</cite>, 15(12), e1002680. "
        '<a href="https://doi.org/10.1371/journal.pmed.1002680">'
        "https://doi.org/10.1371/journal.pmed.1002680</a>"
    )


def test_simple_line_italicises_a_reports_title_and_falls_back_to_its_url():
    resource = make_resource(key="report", title="An evaluation", resource_type="report")
    Resource.objects.filter(pk=resource.pk).update(
        container="",
        publisher="A School of Public Health",
        doi="",
        url="https://example.org/report",
    )
    resource.refresh_from_db()
    resource.issued_year = None
    assert simple_citation_html(resource) == (
        "Platt L. (n.d.). <cite>An evaluation.</cite> A School of Public Health. "
        '<a href="https://example.org/report">https://example.org/report</a>'
    )
