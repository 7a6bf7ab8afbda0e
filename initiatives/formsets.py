"""What a bound formset asks to be saved, in the shape the services take it. The editor's
page and the admin both save an initiative's rows this way, through
``services.initiative_save``."""


def formset_rows(formset, positions: dict[str, int] | None = None) -> list[dict]:
    """The rows a valid formset keeps, as ``initiative_rows_replace`` takes them: the cleaned
    values of each row neither removed nor left empty, with ``id`` for a saved row. A saved
    row the page did not post (only a tampered page leaves one out) is kept as it is.
    ``positions``, if given, is filled with the place of each form's row in the list, by the
    form's prefix."""
    link = getattr(formset, "fk", None)
    removed = {form.instance.pk for form in formset.deleted_forms if form.instance.pk}
    rows = []
    for index, form in enumerate(formset.forms):
        saved = form.instance.pk is not None
        if form in formset.deleted_forms or not saved and not form.has_changed():
            continue
        if not saved and index < formset.initial_form_count():
            continue  # names a row that is not the record's: Django's formsets skip it too
        values = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in {"id", "DELETE"} and (link is None or name != link.name)
        }
        if positions is not None:
            positions[form.prefix] = len(rows)
        rows.append({"id": form.instance, **values} if saved else values)
    posted = removed | {values["id"].pk for values in rows if "id" in values}
    rows += [{"id": row} for row in formset.get_queryset() if row.pk not in posted]
    return rows


def formset_note_changes(formset) -> None:
    """Set what ``formset.save()`` would have set (``new_objects``, ``changed_objects``,
    ``deleted_objects``) for a formset whose rows a service saves: the admin's change
    message reads them."""
    removed = [form for form in formset.deleted_forms if form.instance.pk]
    kept = [form for form in formset.forms if form not in formset.deleted_forms]
    formset.deleted_objects = [form.instance for form in removed]
    formset.changed_objects = [
        (form.instance, form.changed_data)
        for form in kept
        if form.instance.pk and form.has_changed()
    ]
    formset.new_objects = [
        form.instance for form in kept if not form.instance.pk and form.has_changed()
    ]
