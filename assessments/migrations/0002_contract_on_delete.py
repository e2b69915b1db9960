"""Give every foreign key the ON DELETE action of the schema contract."""

from django.db import migrations

from lms.db import SetForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [
        SetForeignKeyOnDelete("user_module_progress", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("user_module_progress", "course_offering_id", "CASCADE"),
        SetForeignKeyOnDelete("user_module_progress", "module_id", "CASCADE"),
        SetForeignKeyOnDelete("user_content_progress", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("user_content_progress", "course_offering_id", "CASCADE"),
        SetForeignKeyOnDelete("user_content_progress", "content_item_id", "CASCADE"),
        SetForeignKeyOnDelete("quiz_attempts", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("quiz_attempts", "course_offering_id", "CASCADE"),
        SetForeignKeyOnDelete("quiz_attempts", "content_item_id", "CASCADE"),
        SetForeignKeyOnDelete("lab_submissions", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("lab_submissions", "course_offering_id", "CASCADE"),
        SetForeignKeyOnDelete("lab_submissions", "content_item_id", "CASCADE"),
        SetForeignKeyOnDelete("course_grades", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("course_grades", "course_offering_id", "CASCADE"),
        SetForeignKeyOnDelete("certificates", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("certificates", "course_offering_id", "CASCADE"),
    ]
