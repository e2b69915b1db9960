"""Give every foreign key the ON DELETE action of the schema contract, and keep an
offering in its course's university by a composite foreign key."""

from django.db import migrations

from lms.db import SetForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        SetForeignKeyOnDelete("subjects", "parent_subject_id", "SET NULL"),
        SetForeignKeyOnDelete("subjects", "domain_id", "SET NULL"),
        SetForeignKeyOnDelete("courses", "university_id", "CASCADE"),
        SetForeignKeyOnDelete("courses", "department_id", "SET NULL"),
        SetForeignKeyOnDelete("courses", "primary_subject_id", "SET NULL"),
        SetForeignKeyOnDelete("course_subjects", "course_id", "CASCADE"),
        SetForeignKeyOnDelete("course_subjects", "subject_id", "CASCADE"),
        SetForeignKeyOnDelete("course_prerequisites", "course_id", "CASCADE"),
        SetForeignKeyOnDelete("course_prerequisites", "prerequisite_course_id", "CASCADE"),
        SetForeignKeyOnDelete("course_offerings", "course_id", "CASCADE"),
        SetForeignKeyOnDelete("course_offerings", "university_id", "CASCADE"),
        SetForeignKeyOnDelete("course_offering_instructors", "course_offering_id", "CASCADE"),
        SetForeignKeyOnDelete("course_offering_instructors", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("course_enrollments", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("course_enrollments", "course_offering_id", "CASCADE"),
        migrations.RunSQL(
            "ALTER TABLE course_offerings ADD CONSTRAINT course_offerings_course_university_fk "
            "FOREIGN KEY (course_id, university_id) REFERENCES courses (id, university_id) "
            "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
            "ALTER TABLE course_offerings DROP CONSTRAINT course_offerings_course_university_fk",
        ),
    ]
