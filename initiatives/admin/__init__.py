"""Admin for moderators: initiatives with moderation, history and revert, and a read-only
audit of who did what. Reference data and organisations have their own apps' admin."""

from initiatives.admin import audit, initiative

__all__ = ["audit", "initiative"]
