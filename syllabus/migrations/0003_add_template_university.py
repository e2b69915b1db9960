"""Module templates belong to a university; a null university marks a platform-wide one."""

import django.db.models.deletion
from django.db import migrations, models

from lms.db import SetForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [
        ("syllabus", "0002_contract_on_delete"),
        ("tenancy", "0003_role_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="moduletemplate",
            name="university",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="Empty: offered to every university.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tenancy.university",
            ),
        ),
        migrations.AddIndex(
            model_name="moduletemplate",
            index=models.Index(fields=["university"], name="ix_module_templates_university"),
        ),
        SetForeignKeyOnDelete("module_templates", "university_id", "CASCADE"),
    ]
