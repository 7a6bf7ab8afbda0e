"""Permissions shared by every API view."""

from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission


class KnownMethod(BasePermission):
    """A method the view does not answer is refused as such (405, with ``Allow``) before
    anything is asked of the caller: a TRACE to a public list is not a question of
    credentials. Listed first wherever permissions are set."""

    def has_permission(self, request, view) -> bool:
        if request.method.upper() not in view.allowed_methods:
            raise MethodNotAllowed(request.method)
        return True
