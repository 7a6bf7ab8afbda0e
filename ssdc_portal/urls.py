from django.contrib import admin
from django.urls import include, path

from ssdc_portal import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("my/organisations/", include("accounts.urls")),
    path("my/", include("initiatives.editor.urls")),
    path("", include("initiatives.urls")),
]
