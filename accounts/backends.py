"""Sign-in with either the username or the e-mail address (any letter case)."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Case, IntegerField, Q, Value, When

from accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """People invited by e-mail get a username they have never chosen; let them sign in with
    the address they know.

    Every attempt hashes the typed password exactly once, whether the account exists or not
    (an account without a password yet included: Django hashes for it too), so the time a
    refusal takes does not tell which usernames and addresses have accounts. That is why
    only one account is tried: the one whose username is typed, else the one with that
    address. So a username that looks like someone else's address cannot take over that
    account; its owner signs in with their username instead."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = (
            User.objects.filter(Q(username=username) | Q(email__iexact=username))
            .order_by(
                Case(
                    When(username=username, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .first()
        )
        if user is None:
            # Spend the time a real check takes, so that timing does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
