"""WSGI entry point (gunicorn ssdc_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from ssdc_portal.warm import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssdc_portal.settings")

application = get_wsgi_application()
warm_up()
