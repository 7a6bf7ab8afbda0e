from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class DevtoolsConfig(AppConfig):
    name = "devtools"
    verbose_name = _("Development tools")

    def ready(self) -> None:
        checks.register(development_tools_installed, checks.Tags.security, deploy=True)


def development_tools_installed(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """``check --deploy`` reports this app: a deployment should never have it."""
    return [
        checks.Warning(
            "The development tools (devtools: load_demo, generate_synthetic, benchmark) are "
            "installed.",
            hint="Unset DEVTOOLS (and DEBUG) where the portal is deployed.",
            id="devtools.W001",
        )
    ]
