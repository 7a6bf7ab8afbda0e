"""``/reports/``: the signed-in user's reports, asking for one, following it, downloading it.

The buttons on the initiative list, an initiative's page and a country's page post here.
Someone else's report answers 404, as if it did not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from initiatives.browse.filters import InitiativeDataFilterSet
from reports.forms import ReportRequestForm
from reports.kinds import list_page_exports
from reports.models import Report
from reports.services import request_report

REPORT_LIST_SIZE = 50
# The list page's export buttons: each names a kind of report and, for data sets, a format.
EXPORTS = list_page_exports()


def _request_data(post):
    """The posted request, with an export button's choice spelled out as kind and format."""
    data = post.copy()
    if post.get("export") in EXPORTS:
        data["kind"], data["format"] = EXPORTS[post["export"]]
    return data


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    form = ReportRequestForm(user=request.user)
    status = 200
    if request.method == "POST":
        form = ReportRequestForm(
            _request_data(request.POST),
            user=request.user,
            filters=InitiativeDataFilterSet.present_in(request.POST),
        )
        if form.is_valid():
            report, _created = request_report(
                user=request.user,
                kind=form.cleaned_data["kind"],
                parameters=form.parameters,
                include_drafts=form.cleaned_data["include_drafts"],
            )
            return HttpResponseRedirect(report.get_absolute_url(), status=303)
        status = 400
    reports = Report.objects.filter(requested_by=request.user)[:REPORT_LIST_SIZE]
    context = {"form": form, "reports": reports, "is_editor": request.user.memberships.exists()}
    return render(request, "reports/report_list.html", context, status=status)


def report_file_response(report: Report) -> FileResponse:
    """The report's file as an attachment, under its own name and content type."""
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.filename,
        content_type=report.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _own_report(request, report_id) -> Report:
    return get_object_or_404(Report.objects.visible_to(request.user), pk=report_id)


@login_required
@vary_on_headers("HX-Request")
def report_detail(request, report_id):
    report = _own_report(request, report_id)
    if request.htmx:
        # 286 tells htmx to stop asking once there is nothing more to wait for.
        status = 286 if report.is_finished else 200
        return render(request, "reports/_report_status.html", {"report": report}, status=status)
    return render(request, "reports/report_detail.html", {"report": report})


@login_required
def report_download(request, report_id):
    report = _own_report(request, report_id)
    if not report.is_ready:
        raise Http404
    response = report_file_response(report)
    response["Cache-Control"] = "private, no-store"
    return response
