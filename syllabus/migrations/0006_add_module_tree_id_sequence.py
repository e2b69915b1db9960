from django.db import migrations

# New module trees take their id from this sequence (syllabus.tree.new_tree_ids) instead of
# max(tree_id) + 1 under a table-wide lock. It starts above every tree id already in use.
CREATE = """
CREATE SEQUENCE IF NOT EXISTS modules_tree_id_seq AS integer MINVALUE 1;
SELECT setval('modules_tree_id_seq', COALESCE((SELECT max(tree_id) FROM modules), 0) + 1, false);
"""
DROP = "DROP SEQUENCE IF EXISTS modules_tree_id_seq;"


class Migration(migrations.Migration):
    dependencies = [("syllabus", "0005_merge_module_archive_and_template_owner")]

    operations = [migrations.RunSQL(CREATE, DROP)]
