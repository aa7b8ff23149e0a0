from django.urls import path

from . import admin_views

app_name = "editorial_admin"

urlpatterns = [
    path("freshness/", admin_views.FreshnessView.as_view(), name="freshness"),
    path("freshness/review/<int:page_id>/", admin_views.mark_reviewed, name="review"),
    path("suggestions/", admin_views.SuggestionQueueView.as_view(), name="suggestions"),
    path(
        "suggestions/<int:pk>/review/",
        admin_views.SuggestionReviewView.as_view(),
        name="review_suggestion",
    ),
    path("suggestions/<int:pk>/decline/", admin_views.decline_suggestion, name="decline"),
]
