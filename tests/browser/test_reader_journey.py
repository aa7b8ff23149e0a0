"""The reader's journey in Chromium (issue 14): phone header, focus never under the sticky
quick-exit bar, error focus, quick exit with and without JavaScript, glossary terms
explained in place, the questions page, and no console warning on any page.

Few tests, each visit checking many things: one test per width loops over every page type.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from fieldguide.guide.models import SectionPage
from tests.browser.pages import reader_pages
from tests.browser.test_privacy_and_safety import neutral_site  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

WIDTHS = {320: 568, 375: 667, 1280: 900}
MAX_STOPS = 400

# The focused element, whether it is in the viewport, and whether the sticky quick-exit
# bar is drawn over it (the element is not inside the bar and the bar is on top at the
# middle of their overlap). WCAG 2.2 SC 2.4.11 asks only that it is not entirely hidden;
# this asks that no part is.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const box = document.querySelector('.quick-exit');
  const bar = box.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  let covered = false;
  if (!box.contains(el)) {
    const top = Math.max(r.top, bar.top), bottom = Math.min(r.bottom, bar.bottom);
    if (bottom > top && r.right > bar.left && r.left < bar.right) {
      const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
      const hit = document.elementFromPoint(x, (top + bottom) / 2);
      covered = !!hit && box.contains(hit);
    }
  }
  const name = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim();
  const seen = el.__focusSeen === true;
  el.__focusSeen = true;
  return {
    seen,
    what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + name.slice(0, 40) + '"',
    covered,
    inView: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
  };
}"""


def _tab_through(page) -> list[dict]:
    """Every focus stop, forward with Tab and then back up with Shift+Tab.

    Tab scrolls the page down, so a new stop appears at the bottom; Shift+Tab scrolls it
    up, so stops arrive at the top edge, where the sticky bar would cover them.
    """
    stops: list[dict] = []
    for key in ("Tab", "Shift+Tab"):
        page.evaluate("document.querySelectorAll('*').forEach(e => delete e.__focusSeen)")
        for _ in range(MAX_STOPS):
            page.keyboard.press(key)
            state = page.evaluate(FOCUS_STATE)
            if state is None or state["seen"]:
                break
            stops.append({**state, "what": f"{key}: {state['what']}"})
        else:
            pytest.fail(f"more than {MAX_STOPS} focus stops on {page.url}")
    return stops


def _console_problems(messages: list[tuple[str, str, str]]) -> list[str]:
    """Warnings and errors, except the statuses those pages exist to send (Chromium logs
    any 4xx document): 404 for the missing page, 400 for a form sent with errors."""
    expected = {"not-found": "status of 404", "contact-errors": "status of 400"}
    return [
        f"{name}: {text}"
        for name, kind, text in messages
        if kind in {"warning", "error"} and not (name in expected and expected[name] in text)
    ]


def test_every_page_type_at_320_375_and_1280_px(chromium, default_guide, artifacts):
    for width in WIDTHS:
        _check_width(chromium, default_guide, width, artifacts)


def _check_width(chromium, default_guide: str, width: int, artifacts) -> None:
    """Header, home and section layout, every focus stop, error focus, console."""
    context = chromium.new_context(viewport={"width": width, "height": WIDTHS[width]})
    page = context.new_page()
    messages: list[tuple[str, str, str]] = []
    current = {"name": ""}
    page.on("console", lambda m: messages.append((current["name"], m.type, m.text)))
    pages = {**reader_pages(), "questions": "/discussion-questions/"}
    phone = width < 768
    stops_total = 0
    for name, path in pages.items():
        current["name"] = name
        page.goto(default_guide + path)
        header = page.locator(".site-header").bounding_box()
        bar = page.locator(".quick-exit").bounding_box()
        nav = page.get_by_role("navigation", name="Guide", exact=True)
        if phone:
            assert header["height"] + bar["height"] <= 0.3 * WIDTHS[width], name
            assert not nav.is_visible(), f"{name}: the navigation is behind the menu"
        else:
            assert nav.get_by_role("link", name="Discussion questions", exact=True).is_visible(), (
                name
            )
        stops = _tab_through(page)
        assert stops, name
        covered = [s["what"] for s in stops if s["covered"]]
        out_of_view = [s["what"] for s in stops if not s["inView"]]
        assert covered == [], f"{name} at {width}px: focus under the quick-exit bar"
        assert out_of_view == [], f"{name} at {width}px: focus outside the viewport"
        stops_total += len(stops)
        if name == "home" and width == 375:
            page.screenshot(path=str(artifacts / f"home-{width}.png"))
            sections_top = page.evaluate(
                "document.querySelector('.section-list li').getBoundingClientRect().top + scrollY"
            )
            assert sections_top < 2 * WIDTHS[width], "sections within two screens at 375 x 667"
            assert page.title() == "Criminalization, Policing and Public Health"
        if name == "section":
            progress = page.locator(".progress").inner_text()
            section = SectionPage.objects.get(slug="sex-trade-criminalization")
            assert progress == f"Section 1 of 7 · about {section.reading_minutes} min read"
            progress_top = page.locator(".progress").bounding_box()["y"]
            assert progress_top < WIDTHS[width], "progress is on the first screen"
            contents = page.locator(".toc")
            assert contents.bounding_box()["y"] < WIDTHS[width], "contents near the top"
            page.evaluate("scrollTo(0, 0)")
            page.screenshot(path=str(artifacts / f"section-{width}.png"))

    # The phone menu opens without JavaScript's help (a <details>), by keyboard.
    if phone:
        page.goto(default_guide + "/")
        page.locator(".site-menu__toggle").focus()
        page.keyboard.press("Enter")
        assert page.get_by_role("navigation", name="Guide", exact=True).is_visible()
        assert page.get_by_label("Search the guide").is_visible()
        page.screenshot(path=str(artifacts / f"menu-{width}.png"))

    # A form with errors: the summary comes first, takes focus, and the title says so.
    current["name"] = "contact-errors"
    page.goto(default_guide + "/contact/")
    page.get_by_role("button", name="Send message").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary = page.locator("#error-summary").bounding_box()
    assert summary["y"] + 40 < WIDTHS[width], "the error summary is on the first screen"
    field_top = page.locator("form.form").bounding_box()["y"]
    assert summary["y"] < field_top
    stops = _tab_through(page)
    assert [s["what"] for s in stops if s["covered"] or not s["inView"]] == []
    assert _console_problems(messages) == []
    assert stops_total > 100
    context.close()


def test_quick_exit_glossary_in_place_and_the_questions_page(
    chromium,
    default_guide,
    neutral_site,  # noqa: F811
    artifacts,
):
    first = default_guide + "/sex-trade-criminalization/"
    second = default_guide + "/war-on-drugs/"
    neutral = urlsplit(neutral_site).path

    with_js = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = with_js.new_page()
    page.goto(first)
    page.goto(second)
    assert page.locator(".quick-exit__with-js").is_visible()
    assert not page.locator(".quick-exit__without-js").is_visible()
    assert page.locator("#quick-exit-hint").is_visible()
    page.locator("main").click(position={"x": 5, "y": 5})
    page.keyboard.press("Shift")
    assert page.locator("#quick-exit-count").inner_text() == "Shift 1 of 3"
    page.keyboard.press("Shift")
    assert page.locator("#quick-exit-count").inner_text() == "Shift 2 of 3"
    page.keyboard.press("a")
    assert page.locator("#quick-exit-count").inner_text() == ""
    # Copy link and print: buttons with JavaScript, a field and an instruction without.
    assert page.get_by_role("button", name="Print this section").is_visible()
    assert not page.locator("[data-print-hint]").is_visible()
    page.get_by_role("button", name="Copy link").click()
    # The clipboard answers asynchronously: wait for the status line to be written.
    page.wait_for_function(
        "document.querySelector('[data-copy-status]').textContent !== ''", timeout=5000
    )
    assert page.locator("[data-copy-status]").inner_text() in {
        "Link copied.",
        "Select the link and copy it.",
    }
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(f"**{neutral}")
    page.go_back()
    assert page.url == first, "with JavaScript, Back goes to the page before"
    with_js.close()

    without_js = chromium.new_context(
        viewport={"width": 375, "height": 667}, java_script_enabled=False
    )
    page = without_js.new_page()
    page.goto(first)
    page.goto(second)
    assert page.locator(".quick-exit__without-js").is_visible()
    assert not page.locator(".quick-exit__with-js").is_visible()
    assert not page.locator("#quick-exit-hint").is_visible(), "no Shift promise without JS"
    assert page.get_by_label("Link to this section").input_value().endswith("/war-on-drugs/")
    assert page.locator("[data-print-hint]").is_visible()
    assert not page.get_by_role("button", name="Copy link").is_visible()
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(f"**{neutral}")
    page.go_back()
    assert page.url == second, "without JavaScript, Back returns to the page"
    # Fields that would remember a place or a search for the next person at this device.
    for path, selector in [
        ("/search/", "#search-q"),
        ("/search/", "#site-search-q"),
        ("/atlas/", "input[name=place]"),
    ]:
        page.goto(default_guide + path)
        assert page.locator(selector).first.get_attribute("autocomplete") == "off", selector
    without_js.close()
    _glossary_and_questions(chromium, default_guide, artifacts)


def _glossary_and_questions(chromium, default_guide: str, artifacts) -> None:
    """Glossary terms open in place by touch and keyboard, with no script; all questions."""
    context = chromium.new_context(
        viewport={"width": 375, "height": 667}, has_touch=True, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(default_guide + "/sex-trade-criminalization/")
    term = page.locator("button.term").first
    name = term.inner_text()
    popover = page.locator(".term-pop:popover-open")
    assert popover.count() == 0
    term.tap()
    assert popover.count() == 1
    assert popover.locator(".term-pop__definition").inner_text().strip()
    entry = popover.get_by_role("link", name="Glossary entry")
    assert "/glossary/#" in entry.get_attribute("href")
    page.screenshot(path=str(artifacts / "glossary-popover-375.png"))
    page.keyboard.press("Escape")
    assert popover.count() == 0
    term.focus()
    page.keyboard.press("Enter")
    assert popover.count() == 1, f"{name}: opens by keyboard"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "term-pop__link"
    page.keyboard.press("Enter")
    page.wait_for_url("**/glossary/#*")

    # The questions page: linked from the section and the home page, every question.
    page.goto(default_guide + "/sex-trade-criminalization/")
    page.get_by_role("link", name="All discussion questions, by section").click()
    page.wait_for_url("**/discussion-questions/")
    sections = list(SectionPage.objects.live().order_by("path").prefetch_related("questions"))
    groups = page.locator(".question-group")
    assert groups.count() == len(sections) == 7
    for index, section in enumerate(sections):
        group = groups.nth(index)
        assert section.title in group.locator("h2").inner_text()
        assert group.locator(".questions li").all_inner_texts() == [
            q.text for q in section.questions.all()
        ]
    page.goto(default_guide + "/")
    assert page.get_by_role("link", name="All discussion questions, by section").count() == 1
    context.close()
