"""Deletes made outside the ORM (plain SQL) follow the same ON DELETE rule as the models. The
constraints exist only once the previous migration has committed its deferred SQL, so this is a
migration of its own."""

from django.db import migrations

from lms.db import SetForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("community", "0007_add_announcements")]

    operations = [
        SetForeignKeyOnDelete("announcements", "course_offering_id", "CASCADE"),
        SetForeignKeyOnDelete("announcements", "author_id", "SET NULL"),
    ]
