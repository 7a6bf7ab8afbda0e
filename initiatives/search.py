"""The search lives in :mod:`initiatives.browse.search`; ``initiatives.models`` and
``initiatives.services`` still read it from here."""

from initiatives.browse.search import SEARCH_CONFIG, fold_accents_sql, search_query

__all__ = ["SEARCH_CONFIG", "fold_accents_sql", "search_query"]
