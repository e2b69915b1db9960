"""E-mail addresses in lower case: the field lower-cases new values and lookups; this brings
existing rows along, except those whose lower-case form another row already has (the unique
constraint would refuse them; an administrator merges such accounts by hand)."""

from django.db import connection as default_connection
from django.db import migrations

import tenancy.models

LOWERCASE_SQL = """
UPDATE users AS u SET email = lower(u.email)
WHERE u.email <> lower(u.email)
  AND NOT EXISTS (
      SELECT 1 FROM users AS o WHERE o.id <> u.id AND lower(o.email) = lower(u.email)
  )
"""


def lowercase_emails(apps, schema_editor) -> None:
    connection = schema_editor.connection if schema_editor is not None else default_connection
    with connection.cursor() as cursor:
        cursor.execute(LOWERCASE_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0003_role_verbose_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="email",
            field=tenancy.models.LowercaseEmailField(max_length=255, unique=True),
        ),
        # Lower-casing cannot be undone (the original capitals are not kept); going back
        # leaves the addresses as they are, which the older code reads just as well.
        migrations.RunPython(lowercase_emails, migrations.RunPython.noop),
    ]
