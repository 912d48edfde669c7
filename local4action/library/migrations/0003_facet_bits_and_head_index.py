from django.db import migrations, models

from local4action.core.search import gin_index_sql, postgres_only

# The catalogue ranks by the words found in search_head, looked up in this index.
CREATE_HEAD_INDEX, DROP_HEAD_INDEX = gin_index_sql("library_resource", "search_head")


def fill_bits(apps, schema_editor):
    from local4action.library.search import facet_columns

    Resource = apps.get_model("library", "Resource")
    resources = Resource.objects.prefetch_related("translations", "files", "goals")
    for resource in resources.iterator(chunk_size=500):
        Resource.objects.filter(pk=resource.pk).update(**facet_columns(resource))


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="goal_bits",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="resource",
            name="language_bits",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="resource",
            name="region_keys",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddIndex(
            model_name="resource",
            index=models.Index(fields=["updated_at"], name="library_resource_changed"),
        ),
        migrations.RunPython(fill_bits, migrations.RunPython.noop),
        migrations.RunPython(postgres_only(CREATE_HEAD_INDEX), postgres_only(DROP_HEAD_INDEX)),
    ]
