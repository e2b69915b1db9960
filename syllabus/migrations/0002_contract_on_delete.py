"""Give every foreign key the ON DELETE action of the schema contract."""

from django.db import migrations

from lms.db import SetForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("syllabus", "0001_initial")]

    operations = [
        SetForeignKeyOnDelete("modules", "course_id", "CASCADE"),
        SetForeignKeyOnDelete("modules", "parent_module_id", "CASCADE"),
    ]
