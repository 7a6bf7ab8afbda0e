from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from ssdc_portal import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("ssdc_portal.api.urls")),
    path(
        "accounts/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    # The token names the invitation; the access log hides URL parts called "token".
    path("accounts/invitations/<str:token>/", account_views.invitation, name="invitation"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("my/organisations/", include("accounts.urls")),
    path("my/tokens/", account_views.api_tokens, name="api-tokens"),
    path(
        "my/tokens/<int:pk>/revoke/", account_views.api_token_revoke_view, name="api-token-revoke"
    ),
    path("my/", include("initiatives.editor.urls")),
    path("organisations/", include("organisations.urls")),
    path("reports/", include("reports.urls")),
    path("", include("initiatives.urls")),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns.insert(0, path("bench/", include("devtools.urls")))
