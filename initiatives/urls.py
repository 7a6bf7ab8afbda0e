from django.urls import path

from initiatives import documents, indexes, matrix, profiles, published, views
from initiatives.dashboard import dashboard

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", dashboard, name="dashboard"),
    path("initiatives/", views.initiative_list, name="initiative-list"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative-detail"),
    path(
        "initiatives/<slug:slug>/v/<int:number>/",
        published.initiative_version,
        name="initiative-version",
    ),
    path("initiatives/<slug:slug>/cite/", published.initiative_cite, name="initiative-cite"),
    path(
        "initiatives/<slug:slug>/v/<int:number>/cite/",
        published.initiative_version_cite,
        name="initiative-version-cite",
    ),
    path("documents/<int:pk>/", documents.source_document, name="source-document"),
    path("countries/", indexes.country_index, name="country-index"),
    path("countries/<str:code>/", profiles.country_detail, name="country-detail"),
    path("principles/", matrix.principles_matrix, name="principles-matrix"),
    path("vocabularies/modalities/", views.modality_vocabulary, name="modality-vocabulary"),
]
