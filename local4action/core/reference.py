"""Reference data: the official SDG framework and the organization's taxonomies.

Loaders take the model classes as arguments so that data migrations (historical models)
and the management command share one implementation.
"""

import json
import unicodedata
from pathlib import Path

SDG_FILE = Path(__file__).parent / "data" / "sdg" / "sdg.json"


def _nfc(texts: dict) -> dict:
    # The source stores many French and Spanish strings decomposed (NFD).
    return {lang: unicodedata.normalize("NFC", text) for lang, text in texts.items()}


def load_sdg(
    goal_model, target_model, indicator_model, path: Path = SDG_FILE, *, using: str = "default"
) -> dict:
    """Create or update goals, targets and indicators in the `using` database; safe to run
    again."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {"goals": 0, "targets": 0, "indicators": 0}
    for goal_data in data["goals"]:
        title, short = _nfc(goal_data["title"]), _nfc(goal_data["short"])
        goal, _ = goal_model.objects.db_manager(using).update_or_create(
            number=int(goal_data["code"]),
            defaults={
                **{f"title_{lang}": text for lang, text in title.items()},
                **{f"short_{lang}": text for lang, text in short.items()},
                "color": goal_data["color"],
            },
        )
        counts["goals"] += 1
        for t_pos, target_data in enumerate(goal_data["targets"]):
            target, _ = target_model.objects.db_manager(using).update_or_create(
                code=target_data["code"],
                defaults={
                    "goal": goal,
                    "position": t_pos,
                    **{f"title_{k}": v for k, v in _nfc(target_data["title"]).items()},
                },
            )
            counts["targets"] += 1
            for i_pos, indicator_data in enumerate(target_data.get("indicators", [])):
                indicator_model.objects.db_manager(using).update_or_create(
                    code=indicator_data["code"],
                    defaults={
                        "target": target,
                        "position": i_pos,
                        "obsolete": bool(indicator_data.get("obsolete", False)),
                        "also_listed_under": indicator_data.get("also_listed_under", []),
                        **{f"title_{k}": v for k, v in _nfc(indicator_data["title"]).items()},
                    },
                )
                counts["indicators"] += 1
    return counts


# (slug, English, French, Spanish)
REGIONAL_SECTIONS = [
    ("africa", "Africa", "Afrique", "África"),
    ("asia-pacific", "Asia-Pacific", "Asie-Pacifique", "Asia-Pacífico"),
    ("eurasia", "Eurasia", "Eurasie", "Eurasia"),
    ("europe", "Europe", "Europe", "Europa"),
    ("latin-america", "Latin America", "Amérique latine", "América Latina"),
    (
        "mewa",
        "Middle East & West Asia",
        "Moyen-Orient et Asie de l’Ouest",
        "Oriente Medio y Asia Occidental",
    ),
    ("north-america", "North America", "Amérique du Nord", "América del Norte"),
    ("metropolitan", "Metropolitan section", "Section métropolitaine", "Sección metropolitana"),
    ("forum-of-regions", "Forum of Regions", "Forum des régions", "Foro de Regiones"),
]

AXES = [
    ("people", "People", "Personnes", "Personas"),
    ("planet", "Planet", "Planète", "Planeta"),
    ("government", "Government", "Gouvernement", "Gobierno"),
]

# (slug, axis slug or None for cross-cutting, English, French, Spanish)
POLICY_AREAS = [
    ("gender-equality", "people", "Gender equality", "Égalité des genres", "Igualdad de género"),
    (
        "migration-inclusive-cities",
        "people",
        "Migration and inclusive cities",
        "Migrations et villes inclusives",
        "Migración y ciudades inclusivas",
    ),
    (
        "ecological-transition",
        "planet",
        "Ecological transition and resilience",
        "Transition écologique et résilience",
        "Transición ecológica y resiliencia",
    ),
    ("local-finance", "government", "Local finance", "Finances locales", "Finanzas locales"),
    (
        "intermediary-cities",
        "government",
        "Intermediary cities",
        "Villes intermédiaires",
        "Ciudades intermedias",
    ),
    ("regions", "government", "Regions", "Régions", "Regiones"),
    ("culture", None, "Culture", "Culture", "Cultura"),
    ("health", None, "Health", "Santé", "Salud"),
    ("peace", None, "Peace", "Paix", "Paz"),
]


def load_taxonomies(section_model, axis_model, policy_area_model, *, using: str = "default"):
    """Create the initial terms; staff edit them in the admin afterwards (names are kept)."""
    for position, (slug, en, fr, es) in enumerate(REGIONAL_SECTIONS):
        section_model.objects.db_manager(using).get_or_create(
            slug=slug, defaults={"name_en": en, "name_fr": fr, "name_es": es, "position": position}
        )
    axes = {}
    for position, (slug, en, fr, es) in enumerate(AXES):
        axes[slug], _ = axis_model.objects.db_manager(using).get_or_create(
            slug=slug, defaults={"name_en": en, "name_fr": fr, "name_es": es, "position": position}
        )
    for position, (slug, axis, en, fr, es) in enumerate(POLICY_AREAS):
        policy_area_model.objects.db_manager(using).get_or_create(
            slug=slug,
            defaults={
                "axis": axes.get(axis),
                "name_en": en,
                "name_fr": fr,
                "name_es": es,
                "position": position,
            },
        )
