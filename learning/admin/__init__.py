"""The learning app's admin: practices and themes, lessons, and the exchange."""

from learning.admin import exchange, lessons, practices  # noqa: F401
