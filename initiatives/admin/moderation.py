"""Moderation in the admin: the queue of submitted initiatives, the moderation actions (single
and bulk), and the "changed since review" flag.

Every change of state goes through the services in ``initiatives.services``; this module only
collects the moderator's input, calls a service once per initiative and reports the outcome.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import User
from initiatives.models import Initiative
from initiatives.services import (
    TRANSITIONS,
    InvalidTransition,
    initiative_approve,
    initiative_archive,
    initiative_mark_reviewed,
    initiative_return,
)

State = Initiative.State


def is_moderator(user) -> bool:
    """``User.is_moderator``, also for the anonymous visitor of the admin's login page."""
    return getattr(user, "is_moderator", False)


def is_changed_since_review(initiative: Initiative) -> bool:
    return initiative.state == State.PUBLISHED and initiative.is_changed_since_review


@dataclass(frozen=True)
class ModerationStep:
    """Something a moderator can do to an initiative, and how the admin talks about it."""

    name: str
    label: Promise
    done: Promise  # after one initiative, with %(title)s
    summary: Promise  # after a bulk action, with %(count)d and %(total)d
    run: Callable[[Initiative, User, str], Initiative]
    needs_note: bool = False


STEPS = {
    step.name: step
    for step in [
        ModerationStep(
            "approve",
            _("Approve and publish"),
            _("“%(title)s” was approved and is now public."),
            ngettext_lazy(
                "Approved %(count)d of %(total)d selected initiative.",
                "Approved %(count)d of %(total)d selected initiatives.",
                "total",
            ),
            lambda initiative, by, note: initiative_approve(initiative=initiative, by=by),
        ),
        ModerationStep(
            "return",
            _("Return with a note…"),
            _("“%(title)s” was returned to its organisation with your note."),
            ngettext_lazy(
                "Returned %(count)d of %(total)d selected initiative.",
                "Returned %(count)d of %(total)d selected initiatives.",
                "total",
            ),
            lambda initiative, by, note: initiative_return(initiative=initiative, by=by, note=note),
            needs_note=True,
        ),
        ModerationStep(
            "archive",
            _("Archive"),
            _("“%(title)s” was archived and is no longer public."),
            ngettext_lazy(
                "Archived %(count)d of %(total)d selected initiative.",
                "Archived %(count)d of %(total)d selected initiatives.",
                "total",
            ),
            lambda initiative, by, note: initiative_archive(initiative=initiative, by=by),
        ),
        ModerationStep(
            "mark_reviewed",
            _("Mark as reviewed"),
            _("The changes to “%(title)s” were marked as reviewed."),
            ngettext_lazy(
                "Marked %(count)d of %(total)d selected initiative as reviewed.",
                "Marked %(count)d of %(total)d selected initiatives as reviewed.",
                "total",
            ),
            lambda initiative, by, note: initiative_mark_reviewed(initiative=initiative, by=by),
        ),
    ]
}


def steps_for(initiative: Initiative) -> list[ModerationStep]:
    """The moderation steps open to an initiative in its current state."""
    names = [
        name
        for name, transition in TRANSITIONS.items()
        if transition.by_moderator and initiative.state in transition.sources
    ]
    if is_changed_since_review(initiative):
        names.append("mark_reviewed")
    return [STEPS[name] for name in names if name in STEPS]


class ReturnNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the organisation"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_(
            "Say what the organisation should change before it submits again. Its members "
            "receive this note by e-mail and see it beside the record."
        ),
    )


class ChangedSinceReviewFilter(admin.SimpleListFilter):
    title = _("changed since review")
    parameter_name = "changed_since_review"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.changed_since_review()
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.changed_since_review().values("pk"))
        return queryset


class ModerationAdminMixin:
    """Moderation for the initiative admin.

    * ``queue/`` is the moderation queue: the initiative changelist limited to submitted
      records, oldest submission first, with its own columns and only the actions that apply.
      It is a view of this admin rather than a proxy model so that it needs no migration and no
      extra permissions, and shares the actions, search and history of the initiative admin.
    * Bulk actions run the service once per selected initiative: rows that cannot make the
      transition are reported one by one with the service's message, the others go through.
    * ``<id>/moderate/<step>/`` runs one step on one initiative from its change page (POST;
      returning shows the note form first).
    """

    actions = ["approve", "return_with_note", "archive", "mark_reviewed"]
    queue_actions = ["approve", "return_with_note"]
    queue_list_display = ["title", "owner", "submitted_at", "changed_since_review", "version"]
    queue_list_filter = ["cooperation_type"]
    queue_ordering = ["submitted_at", "pk"]

    def has_moderate_permission(self, request) -> bool:
        return is_moderator(request.user)

    def _url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def _url(self, view: str, *args) -> str:
        return reverse(f"{self.admin_site.name}:{self._url_name(view)}", args=args)

    def is_queue(self, request) -> bool:
        match = request.resolver_match
        return match is not None and match.url_name == self._url_name("queue")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("queue/", view(self.queue_view), name=self._url_name("queue")),
            path(
                "<path:object_id>/moderate/<str:step_name>/",
                view(self.moderation_view),
                name=self._url_name("moderate"),
            ),
            *super().get_urls(),
        ]

    # The queue ------------------------------------------------------------------------------

    def queue_view(self, request, extra_context=None):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        context = {"title": _("Moderation queue"), **(extra_context or {})}
        return self.changelist_view(request, context)

    def changelist_view(self, request, extra_context=None):
        context = {
            "is_moderation_queue": self.is_queue(request),
            "has_moderate_permission": self.has_moderate_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_queue(request):
            return queryset.filter(state=State.SUBMITTED)
        return queryset

    def get_list_display(self, request):
        if self.is_queue(request):
            return self.queue_list_display
        return super().get_list_display(request)

    def get_list_filter(self, request):
        if self.is_queue(request):
            return self.queue_list_filter
        return super().get_list_filter(request)

    def get_ordering(self, request):
        if self.is_queue(request):
            return self.queue_ordering
        return super().get_ordering(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.is_queue(request):
            return {name: action for name, action in actions.items() if name in self.queue_actions}
        return actions

    @admin.display(description=_("changed since review"), boolean=True)
    def changed_since_review(self, initiative: Initiative) -> bool:
        return is_changed_since_review(initiative)

    # Bulk actions ---------------------------------------------------------------------------

    @admin.action(
        description=_("Approve and publish the selected initiatives"), permissions=["moderate"]
    )
    def approve(self, request, queryset):
        self.run_step(request, queryset, STEPS["approve"])

    @admin.action(
        description=_("Return the selected initiatives with a note…"), permissions=["moderate"]
    )
    def return_with_note(self, request, queryset):
        """Asks for the note on an intermediate page, which posts back to this action."""
        form = ReturnNoteForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self.render_return_form(request, form, initiatives=list(queryset))
        self.run_step(request, queryset, STEPS["return"], note=form.cleaned_data["note"])
        return None

    @admin.action(description=_("Archive the selected initiatives"), permissions=["moderate"])
    def archive(self, request, queryset):
        self.run_step(request, queryset, STEPS["archive"])

    @admin.action(
        description=_("Mark the changes to the selected initiatives as reviewed"),
        permissions=["moderate"],
    )
    def mark_reviewed(self, request, queryset):
        self.run_step(request, queryset, STEPS["mark_reviewed"])

    def run_step(self, request, initiatives, step: ModerationStep, *, note: str = "") -> None:
        """Run ``step`` on each initiative in its own transaction; report each refusal with
        the service's message, then how many went through."""
        done = total = 0
        for initiative in initiatives:
            total += 1
            try:
                step.run(initiative, request.user, note)
            except InvalidTransition as refusal:
                self.message_user(request, str(refusal), messages.WARNING)
            except PermissionDenied as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                done += 1
                self.log_step(request, initiative, step)
        level = messages.SUCCESS if done else messages.WARNING
        self.message_user(request, step.summary % {"count": done, "total": total}, level)

    def log_step(self, request, initiative: Initiative, step: ModerationStep) -> None:
        """Record the step in the admin log too (the audit of who did what in the admin)."""
        self.log_change(request, initiative, str(step.done % {"title": initiative.title}))

    def render_return_form(self, request, form, *, initiatives, is_bulk=True, cancel_url=None):
        """The note page shared by the bulk action and the change page's button."""
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return to the organisation with a note"),
            "opts": self.opts,
            "form": form,
            "initiatives": initiatives,
            "is_bulk": is_bulk,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url or request.get_full_path(),
        }
        return TemplateResponse(request, "admin/initiatives/initiative/return_note.html", context)

    # One initiative, from its change page ------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None and self.has_moderate_permission(request):
            context["moderation_steps"] = [
                {
                    "label": step.label,
                    "url": self._url("moderate", quote(obj.pk), step.name),
                    "needs_note": step.needs_note,
                }
                for step in steps_for(obj)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def moderation_view(self, request, object_id, step_name):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        step = STEPS.get(step_name)
        initiative = self.get_object(request, unquote(object_id))
        if step is None or initiative is None:
            raise Http404
        change_url = self._url("change", quote(initiative.pk))
        note = ""
        if step.needs_note:
            form = ReturnNoteForm(request.POST if request.method == "POST" else None)
            if not form.is_valid():
                return self.render_return_form(
                    request, form, initiatives=[initiative], is_bulk=False, cancel_url=change_url
                )
            note = form.cleaned_data["note"]
        elif request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            step.run(initiative, request.user, note)
        except InvalidTransition as refusal:
            self.message_user(request, str(refusal), messages.WARNING)
        else:
            self.log_step(request, initiative, step)
            self.message_user(request, step.done % {"title": initiative.title}, messages.SUCCESS)
        return HttpResponseRedirect(change_url)
