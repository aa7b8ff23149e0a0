from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .csp_reports import ReportError, parse_reports, record
from .ratelimit import hit, setting_rate


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Shown when a form or the sign-in is used too often from one address."""
    return render(request, "core/rate_limited.html", status=429)


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Count a browser's CSP violation report (see core.csp_reports); answer 204.

    Browsers post reports without a CSRF token or cookie, so the view is exempt; it
    changes nothing but a counter. Too big: 413; not a report: 400; over the site-wide
    rate: 429, and the report is dropped.
    """
    declared = request.headers.get("Content-Length", "")
    limit = settings.CSP_REPORT_MAX_BYTES
    if declared.isdigit() and int(declared) > limit:
        return HttpResponse(status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=413)
    try:
        kinds = parse_reports(body)
    except ReportError:
        return HttpResponse(status=400)
    # One budget for every sender, so the limit keeps nothing about who sent a report.
    if not hit("csp-report", "site", setting_rate("CSP_REPORT_RATE")):
        return HttpResponse(status=429)
    record(kinds)
    return HttpResponse(status=204)


def healthz(request: HttpRequest) -> HttpResponse:
    """For the front cache's health probe: 200 while this instance can reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
