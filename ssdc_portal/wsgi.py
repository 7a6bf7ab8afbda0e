"""WSGI entry point (gunicorn ssdc_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssdc_portal.settings")

application = get_wsgi_application()
