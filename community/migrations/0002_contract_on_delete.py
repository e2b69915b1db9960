"""Give every foreign key the ON DELETE action of the schema contract."""

from django.db import migrations

from lms.db import SetForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [
        SetForeignKeyOnDelete("discussion_threads", "course_offering_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_threads", "module_id", "SET NULL"),
        SetForeignKeyOnDelete("discussion_threads", "content_item_id", "SET NULL"),
        SetForeignKeyOnDelete("discussion_threads", "created_by_user_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_posts", "thread_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_posts", "parent_post_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_posts", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("course_reviews", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("course_reviews", "course_offering_id", "CASCADE"),
    ]
