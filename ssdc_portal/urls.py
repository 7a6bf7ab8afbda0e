from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import views as account_views
from initiatives import indexes
from principles import views as principle_views
from ssdc_portal import views

# Addresses without a language: machines read them, and they answer in the language asked
# for (see ssdc_portal/languages.py).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/", include("ssdc_portal.api.urls")),
    path("language/<str:language>/", account_views.language_switch, name="language-switch"),
    # The portal's IATI namespace URI, where deployed at that address, leads to its page.
    path(
        "ns/iati-extension/1",
        RedirectView.as_view(pattern_name="iati-namespace"),
        name="iati-namespace-uri",
    ),
]

# Pages: /es/…, /pt-br/…, /fr/…, and English without a prefix.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path(
        "accounts/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    # The token names the invitation; the access log hides URL parts called "token".
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/invitations/<str:token>/", account_views.invitation, name="invitation"),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/signup/sent/", account_views.signup_sent, name="signup-sent"),
    path("accounts/signup/new-link/", account_views.signup_resend_link, name="signup-resend"),
    path(
        "accounts/signup/confirm/<str:token>/",
        account_views.signup_confirm,
        name="signup-confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("my/organisations/", include("accounts.urls")),
    path("my/tokens/", account_views.api_tokens, name="api-tokens"),
    path(
        "my/tokens/<int:pk>/revoke/", account_views.api_token_revoke_view, name="api-token-revoke"
    ),
    path(
        "my/confirmations/",
        principle_views.evidence_confirmations,
        name="evidence-confirmations",
    ),
    path("my/import/", include("opendata.imports.urls")),
    path("my/", include("initiatives.editor.urls")),
    # The index counts initiatives, which the organisations app knows nothing of.
    path("organisations/", indexes.organisation_index, name="organisation-index"),
    path("organisations/", include("organisations.urls")),
    path("reports/", include("reports.urls")),
    path("practices/", include("learning.practices.urls")),
    path("data/", include("opendata.urls")),
    path("", include("learning.exchange.urls")),
    path("", include("initiatives.urls")),
    prefix_default_language=False,
)

if settings.BENCHMARK_VIEWS:
    urlpatterns.insert(0, path("bench/", include("devtools.urls")))
