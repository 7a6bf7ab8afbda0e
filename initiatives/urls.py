from django.urls import path

from initiatives import documents, views

urlpatterns = [
    path("", views.home, name="home"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative-detail"),
    path("documents/<int:pk>/", documents.source_document, name="source-document"),
]
