"""Addresses of records made from their names."""

import secrets

from django.db import models
from django.utils.text import slugify


def unused_slug(model: type[models.Model], text: str, *, fallback: str) -> str:
    """A slug made from ``text`` that no ``model`` row has; it never changes afterwards (it
    is the record's address). If the plain one is taken, a random suffix follows it, never a
    counter: ``-3`` would tell anyone how many records share the name, hidden drafts
    included."""
    base = slugify(text)[:100].strip("-") or fallback
    slug = base
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug
