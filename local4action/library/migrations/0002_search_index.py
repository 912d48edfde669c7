from django.db import migrations

from local4action.core.search import gin_index_sql, postgres_only

CREATE_INDEX, DROP_INDEX = gin_index_sql("library_resource")


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(postgres_only(CREATE_INDEX), postgres_only(DROP_INDEX)),
    ]
