"""Importing initiatives from IATI activity files and the portal's spreadsheet template.

Both readers turn a file into :class:`~opendata.imports.plan.Incoming` records (or problems,
each with its line, or row and column); :func:`~opendata.imports.plan.plan_import` matches
them with the owner's records and checks them by the editor's rules;
:func:`~opendata.imports.plan.apply_plan` writes them, all or nothing, through the same
service the editor saves with, so every import is a revision in each record's history.
"""
