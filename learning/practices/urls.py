from django.urls import path

from learning.practices import views

urlpatterns = [
    path("", views.practice_list, name="practice-list"),
    path("propose/", views.practice_propose_page, name="practice-propose"),
    path("<slug:slug>/", views.practice_detail, name="practice-detail"),
]
