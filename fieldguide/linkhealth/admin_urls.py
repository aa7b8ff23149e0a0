from django.urls import path

from . import admin_views

app_name = "linkhealth_admin"

urlpatterns = [
    path("", admin_views.LinkReportView.as_view(), name="report"),
    path("bulk/", admin_views.bulk, name="bulk"),
    path("<int:pk>/", admin_views.LinkDetailView.as_view(), name="detail"),
    path("<int:pk>/display/", admin_views.set_display, name="display"),
    path("<int:pk>/update/", admin_views.apply_redirect, name="update"),
    path("<int:pk>/recheck/", admin_views.recheck, name="recheck"),
]
