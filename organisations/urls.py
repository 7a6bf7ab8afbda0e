from django.urls import path

from organisations import views

urlpatterns = [
    path("<slug:slug>/", views.organisation_detail, name="organisation-detail"),
]
