"""The admin import in real Chromium: sign in, upload a Zotero export, choose merge, apply."""

from __future__ import annotations

import pytest

from fieldguide.library.models import Resource
from tests.factories import make_resource

from .conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_uploads_previews_merges_and_sees_the_report(
    browser_context,
    live_server,
    django_user_model,
):
    django_user_model.objects.create_superuser("editor", "editor@fieldguide.test", "pw")
    berndt = make_resource(
        key="berndt-1994",
        title="Skizze zur Auslegungsgeschichte der Bücher Prouerbia und Ecclesiastes "
        "in der abendländischen Kirche",
        container="",
        issued_year=1994,
        doi="10.1484/J.SE.2.303788",
    )
    page = browser_context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/admin/library/import/")
    page.set_input_files("#id_file", str(FIXTURES / "zotero_better_csl.json"))
    page.get_by_role("button", name="Preview the import").click()

    row = page.locator("#entry-2")
    assert "Same DOI 10.1484/J.SE.2.303788" in row.inner_text()
    assert page.get_by_role("radio", name="Skip: keep the library as it is").first.is_checked()
    row.get_by_label("Merge: fill the existing resource's empty fields").check()

    page.get_by_role("button", name="Import").click()

    summary = page.locator("#import-report-summary").inner_text()
    assert "3 created, 1 merged, 0 skipped, 0 failed." in summary
    assert errors == []  # no script errors in the admin pages
    berndt.refresh_from_db()
    assert berndt.container == "Sacris Erudiri"
    assert Resource.objects.count() == 4
