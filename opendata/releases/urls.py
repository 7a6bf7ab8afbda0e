from django.urls import path

from opendata.releases import views

urlpatterns = [
    path("", views.release_list, name="release-list"),
    path("<int:number>/", views.release_detail, name="release-detail"),
    path("<int:number>/<str:filename>", views.release_file, name="release-file"),
]
