from django.urls import path

from . import views

app_name = "editorial"

urlpatterns = [
    path("<int:section_id>/", views.suggest, name="suggest"),
]
