import json

from rest_framework.renderers import BaseRenderer, JSONRenderer


class CSVRenderer(BaseRenderer):
    """Lets ``?format=csv`` / ``Accept: text/csv`` reach views that stream their own CSV.

    Views build the CSV themselves (streamed); this renderer only writes what is left to
    it, such as an error body, as plain text.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return json.dumps(data, ensure_ascii=False, indent=1).encode()


class JSONErrorsMixin:
    """Errors are answered as JSON even when CSV was asked for: the error body is JSON."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response
