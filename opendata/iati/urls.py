from django.urls import path

from opendata.iati import views

urlpatterns = [
    path("activities.xml", views.activities, name="iati-activities"),
    path(
        "organisations/<slug:slug>/activities.xml",
        views.organisation_activities,
        name="iati-organisation-activities",
    ),
    path("organisation.xml", views.organisation, name="iati-organisation"),
    path("registry.json", views.registry_json, name="iati-registry"),
    path("ns/1/", views.namespace_page, name="iati-namespace"),
]
