from django.db import migrations

from local4action.core.reference import load_sdg, load_taxonomies


def load(apps, schema_editor):
    # Into the database being migrated, not always the default one.
    using = schema_editor.connection.alias
    load_sdg(apps.get_model("core", "Goal"), apps.get_model("core", "Target"),
             apps.get_model("core", "Indicator"), using=using)
    load_taxonomies(apps.get_model("core", "RegionalSection"), apps.get_model("core", "Axis"),
                    apps.get_model("core", "PolicyArea"), using=using)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
