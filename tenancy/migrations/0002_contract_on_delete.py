"""Give every foreign key the ON DELETE action of the schema contract."""

from django.db import migrations

from lms.db import SetForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]

    operations = [
        SetForeignKeyOnDelete("departments", "university_id", "CASCADE"),
        SetForeignKeyOnDelete("user_university_roles", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("user_university_roles", "university_id", "CASCADE"),
        SetForeignKeyOnDelete("user_university_roles", "department_id", "SET NULL"),
    ]
