"""Which saves may change what the public IATI files hold: each queues a rebuild after the
transaction commits (coalesced, see :mod:`opendata.iati.tasks`). None of them reads the
database: a save of an unpublished initiative queues nothing, and evidence or an
organisation saved for an unpublished record costs at most one needless build, coalesced
with the others."""

from initiatives.models import Initiative
from opendata.iati.tasks import iati_files_changed

# An initiative leaves the files when it is archived.
IN_FILES_OR_LEAVING = {Initiative.State.PUBLISHED, Initiative.State.ARCHIVED}


def initiative_changed(sender, instance: Initiative, **kwargs) -> None:
    if instance.state in IN_FILES_OR_LEAVING:
        iati_files_changed()


def evidence_changed(sender, instance, **kwargs) -> None:
    iati_files_changed()


def organisation_changed(organisation) -> None:
    iati_files_changed()
