"""Two-step sign-in in Chromium: a superuser who must enrol is sent to the enrolment
page after the password, and its QR code renders under the admin CSP with no request
leaving the site. (Enrolment with a real code is in test_signin.)"""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.core.test_signin import PASSWORD

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def test_enrol_in_chromium_under_the_admin_csp(
    browser_context, live_server, transactional_db, django_user_model, settings
):
    settings.FIELDGUIDE_REQUIRE_2FA_SUPERUSERS = True
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    browser_context.add_init_script(CSP_LISTENER)
    page = browser_context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/2fa/enrol/**")
    qr = page.locator("img[alt^='QR code']").first  # server sends one; admin JS may clone it
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 0
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert page.locator("#totp-secret").first.inner_text().isalnum()
    assert page.evaluate("window.__cspViolations") == []
    foreign = {urlsplit(u).hostname for u in requests if not u.startswith("data:")}
    assert foreign == {"localhost"} or foreign == {"127.0.0.1"}, foreign
