from django.urls import re_path

from . import views

app_name = "exports"
FORMATS = r"(?P<fmt>pdf|epub)"

urlpatterns = [
    re_path(
        rf"^(?P<name>guide|discussion-guide)\.{FORMATS}$",
        views.guide_edition,
        name="guide_edition",
    ),
    re_path(
        rf"^sections/(?P<slug>[-\w]+)\.{FORMATS}$", views.section_edition, name="section_edition"
    ),
]
