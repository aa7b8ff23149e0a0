from django.urls import path

from fieldguide.core import converters  # noqa: F401 - registers <id:>

from . import views

app_name = "library"

urlpatterns = [
    path("download/library.<str:suffix>", views.library_download, name="library_download"),
    path(
        "download/section-<id:page_id>.<str:suffix>",
        views.section_download,
        name="section_download",
    ),
    path("<slug:key>.<str:suffix>", views.resource_download, name="resource_download"),
    path("<slug:key>/", views.resource_detail, name="resource_detail"),
]
