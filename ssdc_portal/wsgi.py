"""WSGI entry point (gunicorn ssdc_portal.wsgi)."""

import logging
import os

from django.core.wsgi import get_wsgi_application
from django.db import DatabaseError, connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssdc_portal.settings")

application = get_wsgi_application()


def _warm_up() -> None:
    """Build the public list's facet index while the process starts (a second or more at
    100,000 records), not in the first visitor's request. A database not reachable yet only
    means that the first request builds it."""
    from initiatives.browse.index import public_index

    try:
        public_index()
    except DatabaseError:
        logging.getLogger(__name__).warning("Facet index not built at start", exc_info=True)
    finally:
        connection.close()  # the worker's requests open their own


_warm_up()
