"""A course's or an asset's deletion in plain SQL takes the course image with it, as in the
models. A migration of its own: the constraints exist once the previous one has committed."""

from django.db import migrations

from lms.db import SetForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("content", "0007_add_course_images")]

    operations = [
        SetForeignKeyOnDelete("course_images", "course_id", "CASCADE"),
        SetForeignKeyOnDelete("course_images", "asset_id", "CASCADE"),
    ]
