"""A plan in words: what an import would create and update, what it leaves out, and its
problems (for the command's output; the upload page shows the same in HTML)."""

from django.utils.translation import gettext as _

from opendata.imports.plan import Plan


def as_text(plan: Plan) -> str:
    lines = []
    for problem in plan.problems:
        lines.append(_("Problem: %(problem)s") % {"problem": problem})
    for action in plan.actions:
        record = action.incoming
        verb = _("update") if action.is_update else _("create")
        title = record.fields.get("title", "")
        lines.append(f"{verb}: {record.identifier} → {record.slug} “{title}”")
        if record.not_mapped:
            left_out = ", ".join(record.not_mapped)
            lines.append("  " + _("not imported: %(list)s") % {"list": left_out})
    lines.append(
        _("%(created)s to create, %(updated)s to update, %(problems)s problem(s).")
        % {
            "created": len(plan.created),
            "updated": len(plan.updated),
            "problems": len(plan.problems),
        }
    )
    return "\n".join(lines)
