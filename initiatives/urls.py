from django.urls import path

from initiatives import views

urlpatterns = [
    path("", views.home, name="home"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative-detail"),
]
