"""The signed token in an invitation's link: it names the invitation and cannot be guessed
or forged without the SECRET_KEY. Whether the invitation is still open is read from the
database each time."""

from django.core import signing

from accounts.models import Invitation

# "." rather than ":" between the parts, so that the token needs no escaping in a URL.
SIGNER = signing.Signer(salt="accounts.invitation", sep=".")


def invitation_url_token(invitation: Invitation) -> str:
    return SIGNER.sign_object(invitation.pk)


def invitation_from_token(token: str) -> Invitation | None:
    try:
        pk = SIGNER.unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(pk, int):
        return None
    return Invitation.objects.select_related("organisation", "invited_by").filter(pk=pk).first()
