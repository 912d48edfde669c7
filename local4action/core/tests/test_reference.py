import unicodedata

from django.core.management import call_command

from local4action.core.models import Axis, Goal, Indicator, PolicyArea, RegionalSection, Target


def test_migration_loads_the_whole_sdg_framework(db):
    assert Goal.objects.count() == 17
    assert Target.objects.count() == 169
    assert Indicator.objects.filter(obsolete=False).count() == 247
    assert set(Indicator.objects.filter(obsolete=True).values_list("code", flat=True)) == {
        "1.a.3",
        "8.9.2",
        "11.c.1",
        "13.3.2",
        "17.6.2",
    }


def test_goals_carry_three_languages_and_the_official_colour(db):
    goal = Goal.objects.get(number=5)
    assert goal.short_en == "Gender equality"
    assert goal.short_fr and goal.short_es
    assert goal.color.upper() == "#FF3A21"
    assert list(goal.targets.values_list("code", flat=True))[:2] == ["5.1", "5.2"]
    assert goal.targets.last().code == "5.c"


def test_accented_titles_are_stored_composed(db):
    for target in Target.objects.all():
        for text in (target.title_fr, target.title_es):
            assert unicodedata.is_normalized("NFC", text), target.code


def test_loading_again_changes_nothing(db):
    call_command("load_sdg", stdout=open("/dev/null", "w"))
    assert Goal.objects.count() == 17
    assert Target.objects.count() == 169
    assert Indicator.objects.count() == 252


def test_indicator_listed_under_several_targets_knows_its_twins(db):
    assert set(Indicator.objects.get(code="1.5.1").also_listed_under) == {"11.5.1", "13.1.1"}


def test_taxonomies_are_seeded(db):
    assert RegionalSection.objects.count() == 9
    assert set(Axis.objects.values_list("slug", flat=True)) == {"people", "planet", "government"}
    assert PolicyArea.objects.get(slug="gender-equality").axis.slug == "people"
    assert PolicyArea.objects.get(slug="culture").axis is None
