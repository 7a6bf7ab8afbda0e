"""Pages of the exchange: the public list of open offers and requests and each listing with
its matches; editors' own listings (/my/exchange/); messages to other organisations and
those received (/my/messages/).

Public reads go through ``Listing.objects.visible_to``; editors' pages through
``Listing.objects.editable_by`` and the person's memberships, so that a number in an
address never reaches another organisation's listing or message.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from initiatives.models import Initiative
from learning.exchange import services
from learning.exchange.forms import (
    ContactForm,
    ListingFilterSet,
    ListingForm,
    ReportForm,
    organisations_of,
)
from learning.exchange.listings import for_display, matches_for
from learning.models import ContactMessage, Listing

LIST_PAGE_SIZE = 20
MESSAGES_SHOWN = 50


def exchange_list(request):
    filterset = ListingFilterSet(
        request.GET, queryset=Listing.objects.visible_to(request.user).open()
    )
    listings = for_display(filterset.qs, for_matching=False).order_by("-created_at", "-pk")
    page = Paginator(listings, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/exchange/listing_list.html",
        {"filterset": filterset, "page": page, "query": query.urlencode()},
    )


def exchange_detail(request, pk: int):
    listing = get_object_or_404(for_display(Listing.objects.visible_to(request.user)), pk=pk)
    is_open = Listing.objects.open().filter(pk=listing.pk).exists()
    return render(
        request,
        "learning/exchange/listing_detail.html",
        {
            "listing": listing,
            "is_open": is_open,
            "matches": matches_for(listing),
        },
    )


def redirect_to_login_url(request) -> str:
    return f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"


# ---- editors' listings ----


@login_required
def exchange_mine(request):
    listings = for_display(Listing.objects.editable_by(request.user), for_matching=False).order_by(
        "organisation__name", "-updated_at"
    )
    rows = [(listing, services.is_renewable(listing)) for listing in listings]
    return render(
        request,
        "learning/exchange/my_listings.html",
        {"rows": rows, "has_organisation": request.user.memberships.exists()},
    )


@login_required
def exchange_create(request):
    if not request.user.memberships.exists():
        messages.error(request, _("You need to belong to an organisation to offer or ask."))
        return redirect("exchange-mine")
    form = ListingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        listing = services.listing_create(by=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("“%(title)s” was sent to the moderators. It will be public once they publish it.")
            % {"title": listing.title},
        )
        return redirect("exchange-mine")
    return render(request, "learning/exchange/listing_form.html", {"form": form})


@login_required
def exchange_edit(request, pk: int):
    listing = get_object_or_404(Listing.objects.editable_by(request.user), pk=pk)
    form = ListingForm(request.POST or None, instance=listing, user=request.user)
    if request.method == "POST" and form.is_valid():
        was_published = listing.state == Listing.State.PUBLISHED
        fields = dict(form.cleaned_data)
        listing = services.listing_update(listing=form.instance, by=request.user, **fields)
        if was_published:
            messages.success(
                request,
                _("Saved “%(title)s”. The changes go to the moderators before it is public again.")
                % {"title": listing.title},
            )
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": listing.title})
        return redirect("exchange-mine")
    return render(
        request, "learning/exchange/listing_form.html", {"form": form, "listing": listing}
    )


@login_required
@require_POST
def exchange_renew(request, pk: int):
    listing = get_object_or_404(Listing.objects.editable_by(request.user), pk=pk)
    try:
        services.listing_renew(listing=listing, by=request.user)
    except services.ExchangeRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("“%(title)s” is open for six more months.") % {"title": listing.title}
        )
    return redirect("exchange-mine")


@login_required
@require_POST
def exchange_withdraw(request, pk: int):
    listing = get_object_or_404(Listing.objects.editable_by(request.user), pk=pk)
    services.listing_withdraw(listing=listing, by=request.user)
    messages.success(request, _("“%(title)s” was withdrawn.") % {"title": listing.title})
    return redirect("exchange-mine")


# ---- messages ----


def _contact(
    request, *, recipient, about: str, back: str, listing=None, initiative=None, initial=None
):
    """The message form to ``recipient``, and sending it."""
    if not request.user.memberships.exists():
        return render(
            request,
            "learning/exchange/contact_refused.html",
            {
                "reason": _(
                    "Only editors of an organisation on the portal can write to other "
                    "organisations."
                ),
                "back": back,
            },
            status=403,
        )
    form = ContactForm(
        request.POST or None, user=request.user, recipient=recipient, initial=initial
    )
    if not form.fields["sender_organisation"].queryset.exists():
        return render(
            request,
            "learning/exchange/contact_refused.html",
            {
                "reason": _("This is your own organisation: there is no need to write to it."),
                "back": back,
            },
            status=403,
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(
                sender=request.user,
                sender_organisation=form.cleaned_data["sender_organisation"],
                recipient_organisation=recipient,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                listing=listing,
                initiative=initiative,
            )
        except services.ExchangeRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "Your message was sent to %(organisation)s. Their answer will come to "
                    "your e-mail through the portal."
                )
                % {"organisation": recipient.name},
            )
            return redirect(back)
    return render(
        request,
        "learning/exchange/contact_form.html",
        {
            "form": form,
            "recipient": recipient,
            "about": about,
            "back": back,
            "left_today": services.messages_left_today(request.user),
        },
    )


@login_required
def contact_listing(request, pk: int):
    listing = get_object_or_404(
        Listing.objects.visible_to(request.user).open().select_related("organisation"), pk=pk
    )
    return _contact(
        request,
        recipient=listing.organisation,
        about=listing.title,
        back=reverse("exchange-detail", args=[listing.pk]),
        listing=listing,
        initial={"subject": listing.title[:200]},
    )


@login_required
def contact_initiative(request, slug: str):
    initiative = get_object_or_404(
        Initiative.objects.visible_to(request.user).published().select_related("owner"), slug=slug
    )
    return _contact(
        request,
        recipient=initiative.owner,
        about=initiative.title,
        back=initiative.get_absolute_url(),
        initiative=initiative,
        initial={"subject": initiative.title[:200]},
    )


def _received_by(user):
    return ContactMessage.objects.filter(recipient_organisation__in=organisations_of(user))


@login_required
def message_reply(request, pk: int):
    message = get_object_or_404(
        _received_by(request.user).select_related("sender_organisation", "recipient_organisation"),
        pk=pk,
    )
    subject = (
        message.subject if message.subject.startswith(_("Re:")) else f"{_('Re:')} {message.subject}"
    )
    return _contact(
        request,
        recipient=message.sender_organisation,
        about=message.subject,
        back=reverse("exchange-messages"),
        listing=message.listing,
        initiative=message.initiative,
        initial={
            "subject": subject[:200],
            "sender_organisation": message.recipient_organisation_id,
        },
    )


@login_required
def my_messages(request):
    related = ["sender", "sender_organisation", "recipient_organisation", "listing", "initiative"]
    received = _received_by(request.user).select_related(*related).order_by("-created_at")
    sent = (
        ContactMessage.objects.filter(sender_organisation__in=organisations_of(request.user))
        .select_related(*related)
        .order_by("-created_at")
    )
    return render(
        request,
        "learning/exchange/my_messages.html",
        {
            "received": list(received[:MESSAGES_SHOWN]),
            "sent": list(sent[:MESSAGES_SHOWN]),
            "report_form": ReportForm(),
        },
    )


@login_required
def message_report(request, pk: int):
    message = get_object_or_404(
        _received_by(request.user).select_related("sender_organisation"), pk=pk
    )
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.message_report(message=message, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Thank you. The moderators were told about this message."))
        return redirect("exchange-messages")
    return render(
        request, "learning/exchange/message_report.html", {"form": form, "message": message}
    )
