from django.urls import path

from . import state_views, views

app_name = "atlas"

urlpatterns = [
    path("", views.index, name="index"),
    path("lookup/", views.lookup, name="lookup"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("topics/<slug:slug>/releases/", views.release_list, name="releases"),
    path("topics/<slug:slug>/releases/v<int:number>/", views.release_detail, name="release"),
    path("topics/<slug:slug>/releases/v<int:number>.csv", views.release_csv, name="release_csv"),
    path("places/<slug:slug>/", views.jurisdiction_detail, name="jurisdiction"),
    path("bills/", views.bill_list, name="bills"),
    path("bills/<int:congress>/<slug:bill_type>/<int:number>/", views.bill_detail, name="bill"),
    path("policies.csv", views.export_csv, name="export_csv"),
    path("state/<str:state>/legislators/", state_views.state_legislators, name="state_legislators"),
]
