"""Deletes made outside the ORM (plain SQL) follow the same ON DELETE rule as the models. The
constraints exist only once the previous migration has committed its deferred SQL, so this is a
migration of its own."""

from django.db import migrations

from lms.db import SetForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_add_notifications_and_preferences")]

    operations = [
        SetForeignKeyOnDelete("notifications", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("notification_preferences", "user_id", "CASCADE"),
    ]
