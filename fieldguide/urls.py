from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from fieldguide.core.auth import RateLimitedLoginView, RateLimitedPasswordResetView
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
    path("suggest/", include("fieldguide.editorial.urls")),
    path("atlas/", include("fieldguide.atlas.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("library/", include("fieldguide.library.urls")),
    path("editions/", include("fieldguide.exports.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
