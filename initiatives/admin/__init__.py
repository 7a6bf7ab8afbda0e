"""Admin for moderators: reference data, organisations, initiatives with moderation, history
and revert, and a read-only audit of who did what."""

from initiatives.admin import audit, initiative, organisations, reference

__all__ = ["audit", "initiative", "organisations", "reference"]
