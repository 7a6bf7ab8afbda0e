import datetime
import decimal
import zoneinfo

from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from ssdc_portal.api.renderers import FastJSONRenderer


def test_the_fast_renderer_writes_what_drf_writes():
    """Clients get the same bytes as from DRF's own renderer, whichever writes them."""
    utc = datetime.UTC
    data = {
        "results": [
            {
                "updated_at": datetime.datetime(2026, 12, 8, 1, 2, 3, 450, tzinfo=utc),
                "on_the_second": datetime.datetime(2026, 12, 8, 1, 2, 3, tzinfo=utc),
                "zoned": datetime.datetime(
                    2026, 7, 8, 1, 2, 3, tzinfo=zoneinfo.ZoneInfo("America/Sao_Paulo")
                ),
                "offset": datetime.datetime(
                    2026, 7, 8, 1, 2, 3, tzinfo=datetime.timezone(datetime.timedelta(hours=5.5))
                ),
                "naive": datetime.datetime(2026, 7, 8, 1, 2, 3, 7),  # noqa: DTZ001 - on purpose
                "day": datetime.date(2026, 1, 2),
                "time": datetime.time(1, 2, 3, 40),
                "share": decimal.Decimal("60.00"),
                "label": gettext_lazy("Published"),
                "título": "Sementes crioulas",
                2016: "a key that is not a string",
            }
        ],
        "next": None,
    }

    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)
