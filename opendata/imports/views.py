"""The import page (``/my/import/``): an organisation's editors, and moderators, upload an
IATI activities file or a filled-in spreadsheet template, see its problems (by line, or by
row and column) or a preview of what it would create and update, then confirm.

Between the two steps the file waits in the default storage under a random name; the
confirmation form carries that name signed together with the user and the organisation
(for an hour), so nobody can confirm another person's upload or change its organisation.
The file is read and checked again on confirmation, and written all or nothing.
"""

import contextlib
import datetime
import uuid
from pathlib import PurePosixPath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from opendata.iati import mapping
from opendata.imports import spreadsheet
from opendata.imports.iati import read_iati
from opendata.imports.plan import ImportFailed, Plan, apply_plan, plan_import
from organisations.models import Organisation
from reports.builders.dataset.formats import LIST_SEPARATOR

MAX_UPLOAD_MB = 20
PENDING = "imports/pending/"
SIGNING_SALT = "opendata.imports.pending"
PENDING_SECONDS = 3600
EXTENSIONS = {".xml", ".xlsx", ".csv"}


def organisations_for(user):
    """The organisations ``user`` may import into: all for a moderator, else their own."""
    if user.is_moderator:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(memberships__user=user).order_by("name").distinct()


class UploadForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=gettext_lazy("Organisation"),
        help_text=gettext_lazy("The records are created as drafts of this organisation."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An IATI 2.03 activities file (.xml), or the portal's template filled in (.xlsx or "
            ".csv), up to 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations_for(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePosixPath(upload.name.lower()).suffix not in EXTENSIONS:
            raise forms.ValidationError(_("Upload an .xml, .xlsx or .csv file."))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_MB}
            )
        return upload


def _plan(data: bytes, filename: str, owner: Organisation, user) -> Plan:
    if filename.lower().endswith(".xml"):
        records, problems = read_iati(data, portal_ref=mapping.reporting_org().ref)
    else:
        records, problems = spreadsheet.read_spreadsheet(data, filename, owner=owner)
    plan = plan_import(records, owner, by=user, found=problems)
    return plan


def _page(request, form, **context):
    return render(
        request,
        "opendata/imports/upload.html",
        {
            "form": form,
            "columns": spreadsheet.COLUMNS,
            "separator": LIST_SEPARATOR,
            "max_mb": MAX_UPLOAD_MB,
            **context,
        },
    )


@never_cache
@login_required
def upload(request):
    if not organisations_for(request.user).exists():
        raise PermissionDenied(_("Only an organisation's editors and moderators may import."))
    if request.method != "POST":
        return _page(request, UploadForm(user=request.user))
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _page(request, form)
    upload_file = form.cleaned_data["file"]
    owner = form.cleaned_data["owner"]
    data = upload_file.read()
    filename = PurePosixPath(upload_file.name).name
    plan = _plan(data, filename, owner, request.user)
    if plan.problems:
        return _page(request, form, plan=plan, filename=filename)
    _forget_expired_uploads()
    stored = default_storage.save(
        f"{PENDING}{uuid.uuid4().hex}{PurePosixPath(filename.lower()).suffix}", ContentFile(data)
    )
    token = signing.dumps(
        {"path": stored, "name": filename, "user": request.user.pk, "owner": owner.pk},
        salt=SIGNING_SALT,
    )
    return _page(request, form, plan=plan, filename=filename, token=token)


def _forget_expired_uploads() -> None:
    """Delete uploads nobody confirmed while their token was valid."""
    try:
        _folders, names = default_storage.listdir(PENDING)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - datetime.timedelta(seconds=PENDING_SECONDS)
    for name in names:
        path = f"{PENDING}{name}"
        with contextlib.suppress(FileNotFoundError):
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)


def _pending(request) -> dict:
    try:
        pending = signing.loads(
            request.POST.get("token", ""), salt=SIGNING_SALT, max_age=PENDING_SECONDS
        )
    except signing.BadSignature as error:
        raise Http404(_("This upload has expired; upload the file again.")) from error
    if pending.get("user") != request.user.pk or not pending["path"].startswith(PENDING):
        raise PermissionDenied
    return pending


@require_POST
@login_required
def confirm(request):
    pending = _pending(request)
    owner = organisations_for(request.user).filter(pk=pending["owner"]).first()
    if owner is None:
        raise PermissionDenied(_("You may only import into your own organisations."))
    try:
        with default_storage.open(pending["path"], "rb") as file:
            data = file.read()
    except FileNotFoundError as error:
        raise Http404(_("This upload has expired; upload the file again.")) from error
    plan = _plan(data, pending["name"], owner, request.user)
    try:
        written = apply_plan(plan, by=request.user, source_name=pending["name"])
    except ImportFailed as failed:
        plan.problems = failed.problems
        form = UploadForm(user=request.user, initial={"owner": owner})
        return _page(request, form, plan=plan, filename=pending["name"])
    default_storage.delete(pending["path"])
    messages.success(
        request,
        ngettext(
            "%(count)s initiative imported as a draft of %(owner)s.",
            "%(count)s initiatives imported as drafts of %(owner)s.",
            len(written),
        )
        % {"count": len(written), "owner": owner.name},
    )
    return redirect("editor-dashboard")


@login_required
def template(request, extension: str):
    if extension == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        body = spreadsheet.template_xlsx()
    elif extension == "csv":
        content_type = "text/csv; charset=utf-8"
        body = spreadsheet.template_csv()
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    filename = f"ssdc-initiatives-template.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
