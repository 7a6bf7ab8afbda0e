"""Pages where CSO staff record and maintain their organisations' initiatives (under /my/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from initiatives import services
from initiatives.completeness import with_completeness
from initiatives.editor.editing import InitiativeEditor, organisations_of
from initiatives.editor.forms import SECTOR_SHARE_PREFIX
from initiatives.models import Initiative
from initiatives.services import EditConflict, IncompleteInitiative, InvalidTransition
from initiatives.views import detail_context


@login_required
def dashboard(request):
    initiatives = with_completeness(
        Initiative.objects.editable_by(request.user)
        .select_related("updated_by")
        .order_by("-updated_at")
        .only(
            "title",
            "slug",
            "state",
            "updated_at",
            "updated_by",
            "review_note",
            "owner_id",
            "version",
            "reviewed_version",
        )
    )
    memberships = request.user.memberships.select_related("organisation").prefetch_related(
        Prefetch(
            "organisation__owned_initiatives", queryset=initiatives, to_attr="editable_initiatives"
        )
    )
    return render(
        request,
        "initiatives/editor/dashboard.html",
        {"memberships": sorted(memberships, key=lambda m: m.organisation.name)},
    )


def _with_extra_row(data, prefix: str):
    """The posted data with one more empty row in the named formset (the no-JS "add")."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    count = data.get(key, "")
    # A count that is not a plain number was tampered with: leave it for the formset to
    # report rather than fail here.
    if count.isascii() and count.isdigit() and len(count) <= 4:
        data[key] = str(int(count) + 1)
    return data


# Parts whose rows other parts' menus offer as soon as they are typed (see ``REFERENCES``).
OFFERED_PARTS = {"outcomes", "sources", "lessons"}


def _edit(request, initiative: Initiative):
    response = _edit_page(request, initiative)
    # The same address answers htmx with a part of the page and a browser with all of it.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _part(request, initiative: Initiative, prefix: str, *, add_row: bool):
    """One part of the page, for htmx: with one more row (``add_row``; the page's other
    menus naming its rows come along, out of band), or only those menus. Typed values are
    kept and nothing is saved or checked."""
    data = _with_extra_row(request.POST, prefix) if add_row else request.POST
    editor = InitiativeEditor(user=request.user, initiative=initiative, data=data)
    part = editor.parts.get(prefix)
    if part is None or not add_row and prefix not in OFFERED_PARTS:
        return HttpResponseBadRequest()
    editor.without_notes()
    if add_row:
        editor.show_new_row(prefix)
    return render(
        request,
        "initiatives/editor/_part.html" if add_row else "initiatives/editor/_menus.html",
        {
            "initiative": initiative,
            "part": part,
            "offers_new_rows": prefix in OFFERED_PARTS,
            "menus": editor.menus_naming(prefix),
        },
    )


def _edit_page(request, initiative: Initiative):
    template = "initiatives/editor/initiative_form.html"
    if request.method != "POST":
        editor = InitiativeEditor(user=request.user, initiative=initiative)
        return render(request, template, {"initiative": initiative, **editor.context()})

    if request.htmx and "add_row" in request.POST:
        return _part(request, initiative, request.POST["add_row"], add_row=True)
    if request.htmx and "menus" in request.POST:
        return _part(request, initiative, request.POST["menus"], add_row=False)

    if "add_row" in request.POST:
        data = _with_extra_row(request.POST, request.POST["add_row"])
        editor = InitiativeEditor(
            user=request.user, initiative=initiative, data=data, files=request.FILES
        )
        editor.without_notes()
        editor.show_new_row(request.POST["add_row"])
        return render(request, template, {"initiative": initiative, **editor.context()})

    editor = InitiativeEditor(
        user=request.user, initiative=initiative, data=request.POST, files=request.FILES
    )
    if not editor.is_valid():
        return render(
            request,
            template,
            {"initiative": initiative, "problems": editor.problems(), **editor.context()},
        )
    try:
        saved = editor.save(expected_version=editor.form.cleaned_data.get("version"))
    except EditConflict as conflict:
        return _render_conflict(request, initiative, editor, conflict)
    except InvalidTransition as refusal:
        messages.error(request, str(refusal))
        return redirect("editor-dashboard")

    if "submit_for_review" in request.POST:
        return _submit(request, saved)
    messages.success(request, _("Saved “%(title)s”.") % {"title": saved.title})
    return redirect("editor-initiative-edit", slug=saved.slug)


def _render_conflict(request, initiative, editor, conflict: EditConflict):
    current = conflict.current
    differences = [
        (editor.form.fields[name].label, _display(current, name), _display(initiative, name))
        for name in editor.form.fields
        if name not in {"version", "owner", "sectors", "sdg_goals", "modalities"}
        and not name.startswith(SECTOR_SHARE_PREFIX)
        and getattr(current, name) != getattr(initiative, name)
    ]
    # The next save is a deliberate one over the current version.
    data = request.POST.copy()
    data["version"] = str(current.version)
    editor = InitiativeEditor(
        user=request.user, initiative=initiative, data=data, files=request.FILES
    )
    editor.is_valid()
    return render(
        request,
        "initiatives/editor/initiative_form.html",
        {
            "initiative": initiative,
            "conflict": {"message": str(conflict), "differences": differences},
            **editor.context(),
        },
        status=409,
    )


def _display(initiative: Initiative, name: str) -> str:
    getter = getattr(initiative, f"get_{name}_display", None)
    value = getter() if getter else getattr(initiative, name)
    return "" if value is None else str(value)


def _submit(request, initiative: Initiative):
    try:
        services.initiative_submit(initiative=initiative, by=request.user)
    except (IncompleteInitiative, InvalidTransition) as refusal:
        messages.error(request, str(refusal))
        return redirect("editor-initiative-edit", slug=initiative.slug)
    messages.success(
        request,
        _("“%(title)s” was submitted for review. You will hear from a moderator by e-mail.")
        % {"title": initiative.title},
    )
    return redirect("editor-dashboard")


@login_required
def initiative_create(request):
    if not organisations_of(request.user).exists():
        messages.error(request, _("You need to belong to an organisation to record initiatives."))
        return redirect("editor-dashboard")
    return _edit(request, Initiative())


@login_required
def initiative_edit(request, slug: str):
    initiative = get_object_or_404(Initiative.objects.editable_by(request.user), slug=slug)
    if initiative.state == Initiative.State.ARCHIVED:
        messages.error(request, _("Archived initiatives can no longer be edited."))
        return redirect("editor-dashboard")
    return _edit(request, initiative)


@login_required
@require_POST
def initiative_submit(request, slug: str):
    initiative = get_object_or_404(Initiative.objects.editable_by(request.user), slug=slug)
    return _submit(request, initiative)


@never_cache
def initiative_preview(request, slug: str):
    """The public page of a record as it would read now, from what was last saved, for its
    organisations' editors and the moderators; anyone else finds no such page (404, as for
    a record that does not exist). Marked as a preview, and kept out of search engines."""
    user = request.user
    if user.is_authenticated and user.is_active and user.is_moderator:
        records = Initiative.objects.all()
    else:
        records = Initiative.objects.editable_by(user)
    initiative = get_object_or_404(records.for_detail(), slug=slug)
    context = detail_context(request, initiative) | {"preview": True}
    response = render(request, "initiatives/initiative_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
