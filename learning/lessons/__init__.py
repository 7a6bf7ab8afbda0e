"""Lessons learned as readers find them: on an initiative's page, a country's profile, a
practice's page, and through ``/api/v1/lessons/``. Lessons are rows of an initiative,
written with it (``initiatives.services.initiative_save``); whoever may see the initiative
may see its lessons, and nobody else."""
