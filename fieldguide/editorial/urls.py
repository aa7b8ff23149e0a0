from django.urls import path

from fieldguide.core import converters  # noqa: F401 - registers <id:>

from . import views

app_name = "editorial"

urlpatterns = [
    path("<id:section_id>/", views.suggest, name="suggest"),
]
