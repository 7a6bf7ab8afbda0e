"""Sign-in with either the username or the e-mail address (any letter case)."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """People invited by e-mail get a username they have never chosen; let them sign in with
    the address they know. Usernames are tried first, so a username that looks like
    someone else's address cannot take over that account."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        candidates = User.objects.filter(Q(username=username) | Q(email__iexact=username)).order_by(
            "-is_active"
        )
        for user in sorted(candidates, key=lambda candidate: candidate.username != username):
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        # Spend the time a real check takes, so that timing does not reveal accounts.
        User().set_password(password)
        return None
