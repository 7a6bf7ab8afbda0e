"""The read side of initiatives: what the list page, the principles matrix, the API and the
reports use to find records.

- :mod:`~initiatives.browse.search`: full-text search, the same for every language;
- :mod:`~initiatives.browse.facets`: every facet, declared once: its filter, its values (for
  the SQL counts and the bitmap index), how its options are named and ordered, and the tables
  its counts read;
- :mod:`~initiatives.browse.filters`: the filter sets of the pages and of the API, built from
  those declarations;
- :mod:`~initiatives.browse.counts`: facet counts in one SQL query, and the home page's key
  figures;
- :mod:`~initiatives.browse.index`: the same counts, and the public list's pages, from an
  in-memory bitmap index of the published records.

Nothing is imported here, so that ``initiatives.models`` can read the search module without
loading the rest.
"""
