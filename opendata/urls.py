from django.urls import include, path

from opendata import views

urlpatterns = [
    path("", views.data_home, name="data-home"),
    path("iati/", include("opendata.iati.urls")),
    path("releases/", include("opendata.releases.urls")),
    path("dictionary/", views.data_dictionary, name="data-dictionary"),
]
