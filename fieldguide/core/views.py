from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Shown when a form or the sign-in is used too often from one address."""
    return render(request, "core/rate_limited.html", status=429)
