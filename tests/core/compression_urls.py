"""The site's URLs plus three small views that carry a secret, for the compression tests."""

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import include, path
from django.views.decorators.cache import cache_control

PADDING = "<p>Harm reduction meets people where they are.</p>" * 40


def sets_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(f"<!doctype html><title>c</title>{PADDING}")
    response.set_cookie("reader", "1")
    return response


@cache_control(private=True)
def reads_session(request: HttpRequest) -> HttpResponse:
    request.session.get("anything")  # personalised: SessionMiddleware adds Vary: Cookie
    return HttpResponse(f"<!doctype html><title>p</title>{PADDING}")


def renders_token(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<!doctype html><title>t</title>{get_token(request)}{PADDING}")


urlpatterns = [
    path("test/sets-cookie/", sets_cookie),
    path("test/reads-session/", reads_session),
    path("test/renders-token/", renders_token),
    path("", include("fieldguide.urls")),
]
