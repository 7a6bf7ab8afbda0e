from django.urls import path

from initiatives.editor import views

urlpatterns = [
    path("", views.dashboard, name="editor-dashboard"),
    path("initiatives/new/", views.initiative_create, name="editor-initiative-create"),
    path("initiatives/<slug:slug>/edit/", views.initiative_edit, name="editor-initiative-edit"),
    path(
        "initiatives/<slug:slug>/preview/",
        views.initiative_preview,
        name="editor-initiative-preview",
    ),
    path(
        "initiatives/<slug:slug>/submit/", views.initiative_submit, name="editor-initiative-submit"
    ),
]
