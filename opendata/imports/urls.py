from django.urls import path

from opendata.imports import views

urlpatterns = [
    path("", views.upload, name="import-upload"),
    path("confirm/", views.confirm, name="import-confirm"),
    path("template.<str:extension>", views.template, name="import-template"),
]
