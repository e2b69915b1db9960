"""Give every foreign key the ON DELETE action of the schema contract, and keep a content
item's course and university equal to its module's by composite foreign keys."""

from django.db import migrations

from lms.db import SetForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial"), ("syllabus", "0001_initial")]

    operations = [
        SetForeignKeyOnDelete("assets", "university_id", "SET NULL"),
        SetForeignKeyOnDelete("content_items", "module_id", "CASCADE"),
        SetForeignKeyOnDelete("content_items", "course_id", "CASCADE"),
        SetForeignKeyOnDelete("content_items", "university_id", "CASCADE"),
        migrations.RunSQL(
            "ALTER TABLE content_items ADD CONSTRAINT content_items_module_course_fk "
            "FOREIGN KEY (module_id, course_id) REFERENCES modules (id, course_id) "
            "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
            "ALTER TABLE content_items DROP CONSTRAINT content_items_module_course_fk",
        ),
        migrations.RunSQL(
            "ALTER TABLE content_items ADD CONSTRAINT content_items_course_university_fk "
            "FOREIGN KEY (course_id, university_id) REFERENCES courses (id, university_id) "
            "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
            "ALTER TABLE content_items DROP CONSTRAINT content_items_course_university_fk",
        ),
    ]
