"""What the page at the portal namespace's address documents: every ``ssdc:`` element and
attribute the activities file writes.

The writer declares its elements in ``PORTAL_ELEMENTS`` (name → description) when it has
that table; the attributes and value lists below complete it. Elements it names that are
not described here are listed with its own description.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from learning.models import AUDIENCES, Lesson
from opendata.iati import activities
from principles.models import PrincipleEvidence


@dataclass(frozen=True)
class Attribute:
    name: str
    description: str
    values: list[tuple[str, str]] = field(default_factory=list)  # (code, label)


@dataclass(frozen=True)
class Element:
    name: str
    description: str
    attributes: list[Attribute] = field(default_factory=list)


def _choices(choices) -> list[tuple[str, str]]:
    return [(str(value), label) for value, label in choices.choices]


def _known() -> dict[str, Element]:
    elements = [
        Element(
            "cooperation-type",
            _("The kind of South-South cooperation, as the record states it."),
            [Attribute("code", _("The cooperation type."), _choices(Initiative.CooperationType))],
        ),
        Element(
            "modality",
            _("A way the cooperation worked, from the portal's modality vocabulary."),
            [Attribute("code", _("The modality's code in the portal's vocabulary."))],
        ),
        Element(
            "principle-evidence",
            _(
                "Evidence that the initiative practised or fell short of a development "
                "effectiveness principle, with who recorded it and whether a partner "
                "confirmed it."
            ),
            [
                Attribute("principle-set", _("The set the principle belongs to.")),
                Attribute("principle", _("The principle's code within its set.")),
                Attribute(
                    "stance",
                    _("Whether the evidence supports or challenges the principle."),
                    _choices(PrincipleEvidence.Stance),
                ),
                Attribute(
                    "strength",
                    _("How strong the evidence is."),
                    _choices(PrincipleEvidence.Strength),
                ),
                Attribute("recorded-by", _("The organisation that recorded the evidence.")),
                Attribute(
                    "confirmed-by",
                    _("Another organisation of the initiative that confirmed it, if any."),
                ),
                Attribute(
                    "disputed-by",
                    _("Another organisation of the initiative that disputed it, if any."),
                ),
            ],
        ),
        Element(
            "narrative",
            _("Text inside evidence or a lesson; a translation carries the language in xml:lang."),
        ),
        Element("quote", _("A quotation supporting the evidence, as recorded.")),
        Element(
            "lesson",
            _("A lesson learned from the initiative, with one narrative per language."),
            [
                Attribute(
                    "audiences",
                    _("Whom the lesson is for, separated by spaces."),
                    [
                        (name, Lesson._meta.get_field(field_name).verbose_name)
                        for name, field_name in AUDIENCES.items()
                    ],
                ),
                Attribute("theme", _("The theme of the lesson, in the portal's vocabulary.")),
                Attribute("practice", _("The practice the lesson is about, if any.")),
            ],
        ),
    ]
    return {element.name: element for element in elements}


def portal_elements() -> list[Element]:
    """Every ``ssdc:`` element the activities file writes, with its attributes."""
    known = _known()
    declared = getattr(activities, "PORTAL_ELEMENTS", None)
    if not declared:
        return list(known.values())
    listed = []
    for name, description in declared.items():
        element = known.get(name)
        attributes = element.attributes if element else []
        listed.append(Element(name, description, attributes))
    return listed
