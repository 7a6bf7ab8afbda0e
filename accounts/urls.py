"""Organisation team pages, mounted at ``/my/organisations/``."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("<slug:slug>/members/", views.organisation_members, name="organisation-members"),
    path(
        "<slug:slug>/members/invite/",
        views.organisation_member_invite,
        name="organisation-member-invite",
    ),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/",
        views.organisation_member_remove,
        name="organisation-member-remove",
    ),
    path(
        "<slug:slug>/members/<int:membership_id>/role/",
        views.organisation_member_role,
        name="organisation-member-role",
    ),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/resend/",
        views.organisation_invitation_resend,
        name="organisation-invitation-resend",
    ),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.organisation_invitation_revoke,
        name="organisation-invitation-revoke",
    ),
]
