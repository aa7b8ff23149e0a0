"""In Chromium: no cookies, no request off the site, no CSP violation, a working quick exit."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from fieldguide.editorial.models import ResourceSuggestion
from fieldguide.guide.models import ContactMessage, SectionPage
from tests.browser.pages import reader_pages

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


class HtmlPage(BaseHTTPRequestHandler):
    """Another site on 127.0.0.1: answers every GET with the page ``html()`` builds."""

    def html(self) -> bytes:
        raise NotImplementedError

    def do_GET(self):
        body = self.html()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class NeutralPage(HtmlPage):
    def html(self) -> bytes:
        return b"<!doctype html><title>Weather</title><h1>Weather forecast</h1>"


@pytest.fixture
def neutral_site(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), NeutralPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/forecast"
    settings.FIELDGUIDE_QUICK_EXIT_URL = url
    yield url
    server.shutdown()


def test_every_page_type_sets_no_cookie_leaves_no_host_and_violates_no_csp(
    browser_context, default_guide
):
    own_host = urlsplit(default_guide).hostname
    requests: list[str] = []
    console_errors: list[str] = []
    browser_context.add_init_script(CSP_LISTENER)
    page = browser_context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on(
        "console",
        lambda m: console_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    for name, path in reader_pages().items():
        page.goto(default_guide + path)
        assert page.evaluate("window.__cspViolations") == [], name
        assert browser_context.cookies() == [], f"{name} set a cookie"
    assert console_errors == []
    foreign = {urlsplit(u).hostname for u in requests} - {own_host, "127.0.0.1"}
    assert not foreign, foreign
    assert any("/static/" in u for u in requests), "static files are loaded from the site"


def test_sending_the_forms_sets_no_cookie_at_all(browser_context, default_guide):
    """Every reader page, the contact form sent with an error and then properly, and a
    suggestion: same-origin posts from the browser work and leave no cookie behind."""
    page = browser_context.new_page()
    for path in reader_pages().values():
        page.goto(default_guide + path)
    page.goto(default_guide + "/contact/")
    page.fill("#id_email", "not-an-email")
    page.fill("#id_message", "The bail fund link has moved.")
    page.get_by_role("button", name="Send message").click()
    page.wait_for_load_state()
    assert "Enter a valid email address." in page.content()
    page.fill("#id_email", "")
    page.get_by_role("button", name="Send message").click()
    page.wait_for_url("**/contact/?sent=1")
    assert "your message has been sent" in page.content()
    assert ContactMessage.objects.get().message == "The bail fund link has moved."
    page.goto(default_guide + "/sex-trade-criminalization/")
    page.get_by_role("link", name="Suggest a resource").first.click()
    page.fill("#id_url", "https://www.example.org/report")
    page.fill("#id_reason", "Shows the harms clearly.")
    page.get_by_role("button", name="Send suggestion").click()
    page.wait_for_url("**/?sent=1")
    assert "your suggestion has been sent" in page.content()
    assert ResourceSuggestion.objects.get().reason == "Shows the harms clearly."
    assert browser_context.cookies() == []


class CrossSiteForms(HtmlPage):
    """Another site whose page posts a form to the guide as soon as it loads."""

    target = ""

    def html(self) -> bytes:
        action, field = self.path.lstrip("/").split(",")
        return (
            "<!doctype html><title>Other site</title>"
            f'<form method="post" action="{self.target}/{action}">'
            f'<input name="{field}" value="Sent by another site"><input name="url" '
            'value="https://spam.example/"></form>'
            "<script>document.forms[0].submit()</script>"
        ).encode()


def test_a_form_posted_from_another_site_is_refused(browser_context, default_guide):
    CrossSiteForms.target = default_guide
    server = ThreadingHTTPServer(("127.0.0.1", 0), CrossSiteForms)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    other = f"http://127.0.0.1:{server.server_address[1]}"
    assert urlsplit(other).hostname != urlsplit(default_guide).hostname
    section = SectionPage.objects.get(slug="sex-trade-criminalization")
    page = browser_context.new_page()
    try:
        for action, field in (("/contact/", "message"), (f"/suggest/{section.pk}/", "reason")):
            page.goto(f"{other}{action},{field}")
            page.wait_for_url(default_guide + action)
            assert page.locator("h1").inner_text() == "This form was sent from another site"
    finally:
        server.shutdown()
    assert not ContactMessage.objects.exists()
    assert not ResourceSuggestion.objects.exists()
    assert browser_context.cookies() == []


def test_quick_exit_button_replaces_the_page_and_back_skips_it(
    browser_context, default_guide, neutral_site
):
    page = browser_context.new_page()
    page.goto(default_guide + "/")
    page.goto(default_guide + "/sex-trade-criminalization/")
    page.get_by_role("link", name="Exit this page").click()
    page.wait_for_url(neutral_site)
    assert page.locator("h1").inner_text() == "Weather forecast"
    page.go_back()
    page.wait_for_load_state()
    assert page.url == default_guide + "/", "Back must not return to the page that was exited"


def test_quick_exit_by_pressing_shift_three_times(browser_context, default_guide, neutral_site):
    page = browser_context.new_page()
    page.goto(default_guide + "/")
    page.goto(default_guide + "/glossary/")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_site)
    page.go_back()
    page.wait_for_load_state()
    assert page.url == default_guide + "/"


def test_quick_exit_by_keyboard_focus_and_enter(browser_context, default_guide, neutral_site):
    page = browser_context.new_page()
    page.goto(default_guide + "/about/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Exit this page"
    page.keyboard.press("Enter")
    page.wait_for_url(neutral_site)


def test_quick_exit_by_touch(chromium, default_guide, neutral_site):
    context = chromium.new_context(
        has_touch=True, is_mobile=True, viewport={"width": 375, "height": 700}
    )
    page = context.new_page()
    page.goto(default_guide + "/")
    page.goto(default_guide + "/war-on-drugs/")
    page.get_by_role("link", name="Exit this page").tap()
    page.wait_for_url(neutral_site)
    context.close()
