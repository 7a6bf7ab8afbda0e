"""Full-text search on PostgreSQL's built-in text search, in every language of the records.

Records are written in English, Spanish, Portuguese, French and more, and may carry
translations into the portal's four languages. The stored vector (see
``initiatives.services.initiative_search_vector``) holds every text twice: under the
``simple`` configuration (lower-casing, no stemming: exact words and prefixes in any
language, names, codes) and under PostgreSQL's own configuration for the language the text
is written in (``STEMMING``: "semillas" is stored as its stem "semill"). A query matches
either: the visitor's words as typed (``simple``) or under the configuration of the
visitor's language, so "cooperativas" finds "cooperativa" for a Spanish visitor.

Accented letters are folded to plain ones with the core ``translate()`` function — the
embedded server has no ``unaccent`` extension. The stored vector folds in SQL and the query
folds in Python with the same two strings, so "cooperacao" finds "cooperação" and the other
way round; the stemmers see folded text on both sides.
"""

import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchQueryField
from django.db.models import BooleanField, Func, TextField, Value
from django.db.models.functions import Cast

SEARCH_CONFIG = "simple"

# PostgreSQL's text search configuration for each record language that has one (all in core).
STEMMING = {"en": "english", "es": "spanish", "pt": "portuguese", "fr": "french"}

# Letters with diacritics, and the plain letter each one folds to (same position).
ACCENTED = (
    "áàâãäåāăą" "ÁÀÂÃÄÅĀĂĄ" "çćčĉ" "ÇĆČĈ" "ďđ" "ĎĐ" "éèêëēėęě" "ÉÈÊËĒĖĘĚ" "ğ" "Ğ"
    "íìîïīį" "ÍÌÎÏĪĮ" "ł" "Ł" "ñńň" "ÑŃŇ" "óòôõöøōő" "ÓÒÔÕÖØŌŐ" "řŕ" "ŘŔ" "śšş" "ŚŠŞ"
    "ťţ" "ŤŢ" "úùûüūůű" "ÚÙÛÜŪŮŰ" "ýÿ" "ÝŸ" "źžż" "ŹŽŻ"
)  # fmt: skip
UNACCENTED = (
    "aaaaaaaaa" "AAAAAAAAA" "cccc" "CCCC" "dd" "DD" "eeeeeeee" "EEEEEEEE" "g" "G"
    "iiiiii" "IIIIII" "l" "L" "nnn" "NNN" "oooooooo" "OOOOOOOO" "rr" "RR" "sss" "SSS"
    "tt" "TT" "uuuuuuu" "UUUUUUU" "yy" "YY" "zzz" "ZZZ"
)  # fmt: skip
_FOLD_TABLE = str.maketrans(ACCENTED, UNACCENTED)  # raises if the two lengths differ

# Words too common to narrow a search, in the portal's four interface languages. They are
# dropped from a query that has other words ("the seed banks" finds "Seed banks"), kept in
# quoted phrases, and kept when a query has nothing else.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "the",
        "to",
        "with",
        "al",
        "con",
        "de",
        "del",
        "el",
        "en",
        "la",
        "las",
        "los",
        "para",
        "por",
        "que",
        "un",
        "una",
        "y",
        "ao",
        "aos",
        "as",
        "com",
        "da",
        "das",
        "do",
        "dos",
        "e",
        "em",
        "na",
        "nas",
        "no",
        "nos",
        "o",
        "os",
        "um",
        "uma",
        "au",
        "aux",
        "avec",
        "d",
        "des",
        "du",
        "et",
        "l",
        "le",
        "les",
        "par",
        "pour",
        "sur",
        "une",
    ]
)

# A word of a query as PostgreSQL writes a ``tsquery`` out: the lexeme in quotes (a quote in
# it doubled), then after a colon ``*`` for a prefix and the weights it is limited to.
QUERY_WORD = r"'((?:[^']|'')*)'(?::(\*?)[A-D]*)?"

# Operators of websearch_to_tsquery that must keep their meaning.
_OPERATORS = frozenset({"or"})


def fold_accents_sql(expression):
    """``expression`` with accented letters folded to plain ones, in SQL."""
    composed = Func(
        expression, template="normalize(%(expressions)s, NFC)", output_field=TextField()
    )
    return Func(
        composed,
        Value(ACCENTED),
        Value(UNACCENTED),
        function="translate",
        output_field=TextField(),
    )


def fold_accents(text: str) -> str:
    """``text`` with accented letters folded to plain ones, exactly as in SQL."""
    return unicodedata.normalize("NFC", text).translate(_FOLD_TABLE)


def search_query(text: str, language: str | None = None) -> SearchQuery | None:
    """The query for what a visitor typed (web-search syntax: quotes, ``or``, ``-word``).

    In a plain list of words (no quotes, no ``or``) stop words are dropped and the last word
    also matches as a prefix ("coop" finds "cooperation"). With ``language`` (a record
    language, such as ``es``) that has a configuration in ``STEMMING``, the same words under
    that configuration match too ("semilla" finds "semillas"). Input without any word, such
    as punctuation, yields a query that matches nothing; blank input gives None.
    """
    folded = fold_accents(text).strip()
    if not folded:
        return None
    words = folded.split()
    prefix = ""
    if '"' not in folded and not any(word.lower() in _OPERATORS for word in words):
        meaningful = [word for word in words if word.lower() not in STOP_WORDS]
        words = meaningful or words
        if len(words[-1]) > 1 and words[-1].isalnum():
            prefix = words.pop()
    query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="websearch")
    if prefix:
        prefix_query = SearchQuery(f"{prefix}:*", config=SEARCH_CONFIG, search_type="raw")
        query = query & prefix_query if words else prefix_query
    config = STEMMING.get(language or "")
    if config is None:
        return query
    # The whole words, stemmed: the stemmer drops its language's stop words itself.
    stemmed = " ".join([*words, prefix] if prefix else words)
    return query | SearchQuery(stemmed, config=config, search_type="websearch")


def matches_in_titles(vector, query):
    """Whether ``vector`` matches ``query`` in its titles alone (the words of weight A).

    The query's words are limited to weight A (``'visit':*`` becomes ``'visit':*A``), which
    keeps its operators, prefixes and phrases as they are. Testing the query against the
    titles filtered out of the vector (``ts_filter``) would give the same answer, but copies
    every matching vector first: with the rank, that was most of the time a search for a
    word in half the records took. The rewritten query is a constant, worked out once per
    statement.
    """
    words = Cast(query, output_field=TextField())
    in_titles = Func(
        words,
        Value(QUERY_WORD),
        Value(r"'\1':\2A"),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return Func(
        vector,
        Cast(in_titles, output_field=SearchQueryField()),
        arg_joiner=" @@ ",
        template="(%(expressions)s)",
        output_field=BooleanField(),
    )
