"""Cross-cutting pieces of the REST API: errors, pagination, CSV output, the URL root."""
