"""Shared model building blocks: timestamps with database defaults, CHECKs reported on the form
field they are about, and the migration operation that gives foreign keys the schema contract's
ON DELETE clause."""

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.migrations.operations.base import Operation
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def created_at_field(**kwargs) -> models.DateTimeField:
    return models.DateTimeField(default=timezone.now, db_default=Now(), editable=False, **kwargs)


def updated_at_field(**kwargs) -> models.DateTimeField:
    return models.DateTimeField(auto_now=True, db_default=Now(), **kwargs)


class TimestampedModel(models.Model):
    created_at = created_at_field()
    updated_at = updated_at_field()

    class Meta:
        abstract = True


class FieldCheckConstraint(models.CheckConstraint):
    """A CHECK whose violation model validation reports on one field, in words for the person
    filling the form. A plain CheckConstraint is reported on the whole form and, without a
    message of its own, names the constraint ("Constraint “…” is violated.").

    `field` must be one of the fields the condition reads: validation skips a constraint over a
    field the form does not edit, so the error always has a form field to sit on.
    """

    def __init__(self, *, field: str, condition, name: str, violation_error_message, **kwargs):
        self.field = field
        super().__init__(
            condition=condition,
            name=name,
            violation_error_message=violation_error_message,
            **kwargs,
        )

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS) -> None:
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other):
        return super().__eq__(other) and getattr(other, "field", None) == self.field


def enum_check(field: str, choices: type[models.TextChoices], name: str) -> FieldCheckConstraint:
    """A CHECK that keeps a column inside its enum's value domain."""
    return FieldCheckConstraint(
        field=field,
        condition=models.Q(**{f"{field}__in": choices.values}),
        name=name,
        violation_error_message=_("Choose one of the listed values."),
    )


class SetForeignKeyOnDelete(Operation):
    """Recreate a foreign key constraint with a database-level ON DELETE action.

    Models keep Python-level on_delete (so MPTT, polymorphic and delete collection keep working);
    this gives the constraint itself the contract's behaviour for deletes made outside the ORM.
    """

    reversible = True
    reduces_to_sql = True

    ACTIONS = ("CASCADE", "SET NULL", "NO ACTION", "RESTRICT")

    def __init__(self, table: str, column: str, action: str) -> None:
        if action not in self.ACTIONS:
            raise ValueError(f"unknown ON DELETE action {action!r}")
        self.table, self.column, self.action = table, column, action

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.table, self.column, self.action], {})

    def state_forwards(self, app_label, state) -> None:
        pass

    def _apply(self, schema_editor, action: str) -> None:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT con.conname, r.relname, ra.attname
                FROM pg_constraint con
                JOIN pg_class c ON c.oid = con.conrelid
                JOIN pg_class r ON r.oid = con.confrelid
                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
                JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = con.confkey[1]
                WHERE con.contype = 'f' AND c.relname = %s AND a.attname = %s
                  AND array_length(con.conkey, 1) = 1
                """,
                [self.table, self.column],
            )
            rows = cursor.fetchall()
        if len(rows) != 1:
            raise RuntimeError(
                f"expected one foreign key on {self.table}.{self.column}, found {len(rows)}"
            )
        name, ref_table, ref_column = rows[0]
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(self.table)} DROP CONSTRAINT {quote(name)}, "
            f"ADD CONSTRAINT {quote(name)} FOREIGN KEY ({quote(self.column)}) "
            f"REFERENCES {quote(ref_table)} ({quote(ref_column)}) ON DELETE {action} "
            "DEFERRABLE INITIALLY DEFERRED"
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        self._apply(schema_editor, self.action)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        self._apply(schema_editor, "NO ACTION")

    def describe(self) -> str:
        return f"Set ON DELETE {self.action} on {self.table}.{self.column}"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.table}_{self.column}_on_delete"
