"""How a record is cited: one description of the cited work (``Citation``), written out as
BibTeX, RIS and CSL-JSON files, as Highwire ``citation_*`` meta tags and as schema.org
JSON-LD for the page head. A citation names one version: its own permanent address, its
date, its number."""

import datetime
import json
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

# format → (content type, file extension)
CITATION_FORMATS = {
    "bibtex": ("application/x-bibtex", "bib"),
    "ris": ("application/x-research-info-systems", "ris"),
    "csl-json": ("application/vnd.citationstyles.csl+json", "json"),
}


@dataclass(frozen=True)
class Citation:
    title: str
    author: str  # the owner organisation: an institutional author
    published: datetime.date  # when the cited version was published
    url: str  # the version's permanent address, absolute
    accessed: datetime.date
    language: str
    version: int | None  # None for a record whose history holds no published version
    key: str  # the record's slug, for citation keys and file names

    @property
    def publisher(self) -> str:
        return _("SSDC Portal")

    @property
    def file_stem(self) -> str:
        return f"{self.key}-v{self.version}" if self.version else self.key


def citation_file(citation: Citation, kind: str) -> str:
    """The citation as a file of ``kind`` (a key of ``CITATION_FORMATS``)."""
    return {"bibtex": bibtex, "ris": ris, "csl-json": csl_json}[kind](citation)


# ---- BibTeX ----

_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")
_BIBTEX_REPLACEMENTS = {
    "\\": r"\textbackslash{}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


def _bibtex_text(value: str) -> str:
    """``value`` with LaTeX's special characters escaped (so braces always balance)."""
    return _BIBTEX_SPECIAL.sub(
        lambda match: _BIBTEX_REPLACEMENTS.get(match.group(1), "\\" + match.group(1)),
        " ".join(value.split()),
    )


def bibtex(citation: Citation) -> str:
    key = re.sub(r"[^A-Za-z0-9_-]", "", citation.key.replace("-", "_"))[:60] or "record"
    key = f"{key}_v{citation.version}" if citation.version else key
    fields = [
        # Double braces: an organisation, not a person's first and last names.
        ("author", "{" + _bibtex_text(citation.author) + "}"),
        ("title", "{" + _bibtex_text(citation.title) + "}"),
        ("year", str(citation.published.year)),
        ("month", str(citation.published.month)),
        ("date", citation.published.isoformat()),
        ("publisher", _bibtex_text(citation.publisher)),
        ("howpublished", "\\url{" + citation.url + "}"),
        ("url", citation.url),
        ("urldate", citation.accessed.isoformat()),
        ("language", citation.language),
    ]
    if citation.version:
        fields.append(("version", str(citation.version)))
    lines = [f"@misc{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---- RIS ----


def _ris_text(value: str) -> str:
    return " ".join(value.split())


def ris(citation: Citation) -> str:
    """An RIS record of type ELEC (a web page); the author in AU (RIS has no separate tag
    for institutions that every reader knows)."""
    tags = [
        ("TY", "ELEC"),
        ("AU", _ris_text(citation.author)),
        ("TI", _ris_text(citation.title)),
        ("PY", str(citation.published.year)),
        ("DA", citation.published.strftime("%Y/%m/%d")),
        ("PB", _ris_text(citation.publisher)),
        ("UR", citation.url),
        ("Y2", citation.accessed.strftime("%Y/%m/%d")),
        ("LA", citation.language),
    ]
    if citation.version:
        tags.append(("ET", str(citation.version)))
    tags.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in tags)


# ---- CSL-JSON ----


def _date_parts(date: datetime.date) -> dict:
    return {"date-parts": [[date.year, date.month, date.day]]}


def csl_item(citation: Citation) -> dict:
    item = {
        "id": f"{citation.key}-v{citation.version}" if citation.version else citation.key,
        "type": "webpage",
        "title": citation.title,
        "author": [{"literal": citation.author}],
        "issued": _date_parts(citation.published),
        "accessed": _date_parts(citation.accessed),
        "publisher": citation.publisher,
        "container-title": citation.publisher,
        "URL": citation.url,
        "language": citation.language,
    }
    if citation.version:
        item["version"] = str(citation.version)
    return item


def csl_json(citation: Citation) -> str:
    return json.dumps([csl_item(citation)], ensure_ascii=False, indent=2) + "\n"


# ---- the page head ----


def highwire_tags(citation: Citation) -> list[tuple[str, str]]:
    """``citation_*`` meta tags (name, content), as Google Scholar and Zotero read them."""
    return [
        ("citation_title", citation.title),
        ("citation_author", citation.author),
        ("citation_publication_date", citation.published.strftime("%Y/%m/%d")),
        ("citation_publisher", citation.publisher),
        ("citation_public_url", citation.url),
        ("citation_language", citation.language),
    ]


def json_ld(citation: Citation, *, description: str = "") -> dict:
    """schema.org markup of the page: a ``CreativeWork`` — a documented record of
    cooperation, written by an organisation — not a ``Dataset`` (the data sets are the
    portal's downloads and releases, which describe themselves)."""
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": citation.title,
        "author": {"@type": "Organization", "name": citation.author},
        "publisher": {"@type": "Organization", "name": citation.publisher},
        "datePublished": citation.published.isoformat(),
        "inLanguage": citation.language,
        "url": citation.url,
    }
    if citation.version:
        data["version"] = str(citation.version)
    if description:
        data["description"] = description
    return data
