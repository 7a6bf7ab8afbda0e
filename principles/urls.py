from django.urls import path

from principles import views

urlpatterns = [
    path("", views.principles_matrix, name="principles-matrix"),
]
