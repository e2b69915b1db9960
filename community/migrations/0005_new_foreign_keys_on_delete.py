"""Give the foreign keys added in 0003 and 0004 their ON DELETE action in the database too."""

from django.db import migrations

from lms.db import SetForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("community", "0004_add_review_display_name_moderation_and_reply")]

    operations = [
        SetForeignKeyOnDelete("discussion_threads", "answer_post_id", "SET NULL"),
        SetForeignKeyOnDelete("discussion_posts", "deleted_by_user_id", "SET NULL"),
        SetForeignKeyOnDelete("discussion_post_reports", "post_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_post_reports", "reporter_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_post_reports", "resolved_by_user_id", "SET NULL"),
        SetForeignKeyOnDelete("discussion_thread_followers", "thread_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_thread_followers", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_notification_settings", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_digests", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_notification_deliveries", "post_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_notification_deliveries", "user_id", "CASCADE"),
        SetForeignKeyOnDelete("discussion_notification_deliveries", "digest_id", "SET NULL"),
        SetForeignKeyOnDelete("course_reviews", "hidden_by_user_id", "SET NULL"),
        SetForeignKeyOnDelete("course_review_replies", "review_id", "CASCADE"),
        SetForeignKeyOnDelete("course_review_replies", "user_id", "SET NULL"),
    ]
