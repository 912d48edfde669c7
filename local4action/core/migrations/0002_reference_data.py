from django.db import migrations

from local4action.core.reference import load_sdg, load_taxonomies


def load(apps, schema_editor):
    load_sdg(apps.get_model("core", "Goal"), apps.get_model("core", "Target"),
             apps.get_model("core", "Indicator"))
    load_taxonomies(apps.get_model("core", "RegionalSection"), apps.get_model("core", "Axis"),
                    apps.get_model("core", "PolicyArea"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
