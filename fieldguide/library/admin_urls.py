"""Admin URLs of the library import (under /admin/library/import/)."""

from django.urls import path
from wagtail.admin.auth import permission_required

from . import admin_views

app_name = "library_import"


def _guarded(view):
    return permission_required(admin_views.ADD_PERMISSION)(view.as_view())


urlpatterns = [
    path("", _guarded(admin_views.ImportStartView), name="start"),
    path("<str:token>/", _guarded(admin_views.ImportPreviewView), name="preview"),
    path("<str:token>/report/", _guarded(admin_views.ImportReportView), name="report"),
]
