"""A reader walks home → section → glossary → search in Chromium; axe finds no serious issue."""

from __future__ import annotations

from tests.axe import violations


def test_reader_walks_the_guide(browser_context, default_guide, artifacts):
    page = browser_context.new_page()
    page.goto(default_guide + "/")
    assert page.locator("h1").inner_text() == "Criminalization, Policing and Public Health"
    assert violations(page, serious_only=True) == []

    page.get_by_role("link", name="Sex trade criminalization").first.click()
    page.wait_for_url("**/sex-trade-criminalization/")
    headings = page.locator("article h2").all_inner_texts()
    assert headings[:5] == [
        "Introduction",
        "Selected Resources",
        "Discussion Questions",
        "Who To Follow",
        "For Further Learning",
    ]
    assert page.get_by_text("Evaluation of Prosecutorial Policy Reforms").count() >= 1
    page.screenshot(path=str(artifacts / "section.png"), full_page=False)
    assert violations(page, serious_only=True) == []

    page.get_by_role("link", name="Glossary of key terms").click()
    page.wait_for_url("**/glossary/")
    assert page.locator("dl.glossary dt").count() >= 15
    assert violations(page, serious_only=True) == []

    page.get_by_label("Search the guide").fill("harm reduction")
    page.get_by_label("Search the guide").press("Enter")
    page.wait_for_url("**/search/?q=harm+reduction*")
    assert "results for" in page.locator("main").inner_text()
    assert page.locator("#results-term").count() == 1
    page.screenshot(path=str(artifacts / "search.png"), full_page=False)
    assert violations(page, serious_only=True) == []
