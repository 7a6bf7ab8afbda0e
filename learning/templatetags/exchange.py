"""Names of an exchange listing's languages and formats, in the page's language."""

from django import template
from django.urls import reverse

from initiatives.content import Shown
from initiatives.models.translations import ContentLanguage
from learning.models import Listing
from learning.practices.content import practice_text

register = template.Library()


@register.filter
def language_names(codes) -> list[str]:
    names = dict(ContentLanguage.choices)
    return [str(names.get(code, code)) for code in codes]


@register.filter
def practice_name(practice) -> Shown:
    """The practice's name in the reader's language where it has a translation (prefetch its
    ``translations``), with the language it is in for the ``lang`` attribute."""
    return practice_text(practice).name


@register.filter
def format_names(codes) -> list[str]:
    names = dict(Listing.Format.choices)
    return [str(names.get(code, code)) for code in codes]


@register.inclusion_tag("learning/exchange/_contact_link.html", takes_context=True)
def contact_link(context, organisation_id: int, url_name: str, argument) -> dict:
    """ "Contact this organisation" for editors of other organisations; visitors are asked
    to sign in first; people without an organisation, or of this one, see nothing."""
    from learning.exchange.views import redirect_to_login_url

    request = context["request"]
    user = request.user
    if not user.is_authenticated:
        return {"sign_in": redirect_to_login_url(request)}
    own = {membership.organisation_id for membership in user.memberships.all()}
    if own - {organisation_id}:
        return {"url": reverse(url_name, args=[argument])}
    return {}
