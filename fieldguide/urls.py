from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from fieldguide.core import views as core_views
from fieldguide.core.auth import RateLimitedLoginView, RateLimitedPasswordResetView
from fieldguide.core.cross_origin import cross_origin_protected
from fieldguide.guide import citing as guide_citing
from fieldguide.guide import views as guide_views
from fieldguide.search import views as search_views

urlpatterns = [
    path("admin/login/", RateLimitedLoginView.as_view(), name="wagtailadmin_login"),
    path(
        "admin/password_reset/",
        RateLimitedPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("discussion-questions/", guide_views.discussion_questions, name="guide_questions"),
    path("suggest/", include("fieldguide.editorial.urls")),
    path("atlas/", include("fieldguide.atlas.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("library/", include("fieldguide.library.urls")),
    path("cite/page-<id:page_id>.<str:suffix>", guide_citing.page_download, name="page_citation"),
    path("editions/", include("fieldguide.exports.urls")),
    path(settings.CSP_REPORT_PATH.lstrip("/"), core_views.csp_report, name="csp_report"),
    path("healthz", core_views.healthz, name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Reader pages, the contact form among them, are served by Wagtail's view guarded by the
# cookie-free cross-origin check instead of Django's CSRF cookie (see core.cross_origin).
urlpatterns += [
    *[p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"],
    re_path(
        wagtail_urls.serve_pattern,
        cross_origin_protected(wagtail_views.serve),
        name="wagtail_serve",
    ),
]
