from django.db import migrations


def plan_afresh(apps, schema_editor):
    # The last plan counted the old table's ids; the next pass plans again.
    apps.get_model("actions", "ReminderPlanRun").objects.all().delete()


class Migration(migrations.Migration):
    """The changes the reminder plan is built from are boards.RecordChange now, which the
    "my actions" pages are built from too."""

    dependencies = [
        ("actions", "0008_reminder_plan_runs"),
        ("boards", "0007_record_change"),
    ]

    operations = [
        migrations.DeleteModel(name="ReminderReplan"),
        migrations.RunPython(plan_afresh, migrations.RunPython.noop),
    ]
