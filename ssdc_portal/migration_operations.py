"""Building blocks of the project's migrations: an operation and the fields that models share.

Migrations import this module, so nothing here may change what it gives once a migration uses
it: when a model changes, the change gets a migration of its own, and a new building block is
added rather than an old one altered.
"""

from django.db import models
from django.db.migrations.operations.base import Operation, OperationCategory
from django.db.migrations.state import ModelState
from django.db.migrations.utils import field_references


def time_stamped_fields(*, auto_id: bool = True) -> list[tuple[str, models.Field]]:
    """The fields a ``CreateModel`` of a ``ssdc_portal.models.TimeStampedModel`` begins with, as
    Django writes them: the automatic ``id`` (``auto_id=False`` for a model with a primary key
    of its own), then ``created_at`` and ``updated_at``. New fields on every call: a field
    belongs to one model."""
    fields = [
        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
    ]
    if auto_id:
        auto = models.BigAutoField(
            auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
        )
        fields.insert(0, ("id", auto))
    return fields


class MoveModel(Operation):
    """Move the model ``from_app``.``model_name`` into the migration's app, as ``new_name``
    (by default the same name), changing only Django's record of the models: no SQL runs.

    The moved model keeps its fields, options, bases and managers, and its table: ``db_table``
    is set to the name the table had in the old app. Every relation in the state that points at
    the old model (foreign keys, many-to-many targets and ``through`` models, in any app,
    including the moved model's own) is repointed at the new one, and the old model is removed.

    This is what a state-only ``CreateModel`` copying the old model's fields, ``AlterField`` on
    every relation to it and ``DeleteModel`` of the old model would do together. A renamed model
    must not be at either end of an auto-created many-to-many table, whose columns are named
    after the models: it would need a column renamed, which this operation does not do.

    The migration must depend on every migration that adds a relation to the old model (they
    name it, and it is gone afterwards), and whatever adds a relation to the moved model must
    depend on this migration. Content types and permissions are rows, not state: a data
    migration moves them.
    """

    reversible = True
    reduces_to_sql = False
    category = OperationCategory.ALTERATION

    def __init__(self, from_app: str, model_name: str, new_name: str | None = None):
        self.from_app = from_app
        self.model_name = model_name
        self.new_name = new_name or model_name
        super().__init__()

    def state_forwards(self, app_label, state):
        old_key = self.from_app, self.model_name.lower()
        new_key = app_label, self.new_name.lower()
        old = state.models[old_key]
        moved = ModelState(
            app_label,
            self.new_name,
            fields=dict(old.fields),
            options={"db_table": f"{self.from_app}_{old.name_lower}", **old.options},
            bases=old.bases,
            managers=list(old.managers),
        )
        state.models[new_key] = moved
        new_reference = f"{app_label}.{self.new_name}"
        repointed = set()
        for model_state in list(state.models.values()):
            if model_state is old:
                continue
            model_key = model_state.app_label, model_state.name_lower
            for name, field in list(model_state.fields.items()):
                reference = field_references(model_key, field, old_key)
                if not reference:
                    continue
                changed = field.clone()
                if reference.to:
                    self._check_columns_keep_their_names(field)
                    changed.remote_field.model = new_reference
                if reference.through:
                    changed.remote_field.through = new_reference
                model_state.fields[name] = changed
                repointed.add(model_key)
        for field in moved.fields.values():
            self._check_columns_keep_their_names(field)
        # As ProjectState.rename_model: the related models first, then the old model goes.
        state.reload_models(repointed - {new_key}, delay=True)
        state.remove_model(*old_key)
        if state._relations is not None:
            state.resolve_fields_and_relations()
        state.reload_model(*new_key, delay=True)

    def _check_columns_keep_their_names(self, field):
        renamed = self.new_name.lower() != self.model_name.lower()
        if renamed and field.many_to_many and field.remote_field.through is None:
            raise ValueError(
                f"Moving {self.from_app}.{self.model_name} as {self.new_name} would rename "
                f"a column of the many-to-many table of {field.name!r}."
            )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass  # The table keeps its name: nothing changes in the database.

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        renamed = f" as {self.new_name}" if self.new_name != self.model_name else ""
        return f"Move the model {self.from_app}.{self.model_name} to this app{renamed}"

    @property
    def migration_name_fragment(self):
        return f"move_{self.new_name.lower()}"
