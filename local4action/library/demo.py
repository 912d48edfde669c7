"""The demo knowledge library, added by `manage.py seed_demo` (after the demo people, HUBs,
monitoring and events).

- Publications, toolkits, training modules, policy papers and videos of the secretariat in
  English, French and Spanish, some translated: written by the demo editor, published by the
  demo administrator. Most have a PDF of a page or two (made here from a little HTML, with
  text, so that searching inside documents works); videos and some others have links.
- Good practices: three drawn from demo HUBs in one step (good_practice_from_initiative),
  completed and published; one more from a HUB submitted by its team and waiting for review;
  one draft by a city team; two written by the secretariat.
- Two collections, "Localizing finance" and "Resilience modules", with an introduction and
  their resources in order.

Everything goes through the services (search text, text extraction and related resources are
done as for real uploads); only publication dates are set afterwards to spread them over the
years. A resource or collection found by its title is left alone: running the command again
adds nothing."""

import datetime
import html

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from local4action.accounts.choices import MembershipRole, MembershipStatus
from local4action.accounts.models import Organization, User
from local4action.calls.demo import STAFF
from local4action.core.models import Goal, PolicyArea, RegionalSection
from local4action.events.models import Event
from local4action.monitoring.demo import demo_initiatives

from . import services
from .choices import ResourceKind, ResourceStatus
from .models import Collection, GoodPractice, Resource

EDITOR = "staff@local4action.test"
FINANCE = "Localizing finance"
RESILIENCE = "Resilience modules"
VLR_EVENT = "working-session-voluntary-local-reviews"

# A word found only inside a demo PDF (not in any title or summary), and a French one with an
# accent: what the tests and a demo visitor search for.
PDF_ONLY_WORD = "creditworthiness"
PDF_ONLY_ACCENTED = "fiscalité"

# The PDFs' own headings, in the document's language (content, not interface).
PDF_WORDING = {
    "en": ("Summary", "Key points", "Published in the Local4Action knowledge library."),
    "fr": ("Résumé", "Points clés", "Publié dans la bibliothèque de connaissances Local4Action."),
    "es": (
        "Resumen",
        "Puntos clave",
        "Publicado en la biblioteca de conocimientos de Local4Action.",
    ),
}
PDF_STYLE = (
    "@page { size: A4; margin: 2cm } body { font-family: sans-serif; font-size: 11pt; "
    "line-height: 1.4 } h1 { font-size: 18pt } .meta { color: #555 }"
)

SECRETARIAT_AUTHORS = "Local4Action Secretariat"

# kind, language, title, summary, year, goals, policy areas, regions, countries, and optional:
# authors, organizations (slugs), translations {language: (title, summary)}, points (the PDF's
# key points, in the original language), files (languages of the PDFs), links [(label, url,
# language)], events (slugs), collection titles (in order of the items below).
RESOURCES = [
    # Publications -------------------------------------------------------------------------
    {
        "kind": ResourceKind.PUBLICATION,
        "language": "en",
        "title": "Localizing the SDGs: the state of play in 2025",
        "summary": "How local and regional governments across the network plan, budget and "
        "report on the 2030 Agenda: what has changed in five years, where the gaps remain, "
        "and what the network will work on next.",
        "year": 2025,
        "goals": [11, 17],
        "regions": ["africa", "europe", "latin-america", "asia-pacific"],
        "translations": {
            "fr": (
                "Localiser les ODD : état des lieux 2025",
                "Comment les collectivités du réseau planifient, budgétisent et rendent compte "
                "de l'Agenda 2030 : ce qui a changé en cinq ans et ce qui reste à faire.",
            ),
            "es": (
                "Localizar los ODS: situación en 2025",
                "Cómo los gobiernos locales y regionales de la red planifican, presupuestan e "
                "informan sobre la Agenda 2030: qué ha cambiado en cinco años y qué falta.",
            ),
        },
        "points": [
            "Two thirds of the members surveyed now link their strategic plan to SDG targets.",
            "Local data remain the main obstacle to reporting on progress.",
            "Peer learning between cities is the support members value most.",
        ],
        "files": ["en", "fr"],
        "links": [("The 2030 Agenda", "https://sdgs.un.org/2030agenda", "en")],
    },
    {
        "kind": ResourceKind.PUBLICATION,
        "language": "fr",
        "title": "Villes intermédiaires et Agenda 2030 : leçons de dix territoires",
        "summary": "Dix villes intermédiaires d'Afrique et d'Europe racontent comment elles "
        "relient services de base, emploi local et transition écologique aux objectifs de "
        "développement durable.",
        "year": 2024,
        "goals": [11, 8],
        "areas": ["intermediary-cities"],
        "regions": ["africa", "europe"],
        "countries": ["CM", "MA", "PT", "BF"],
        "translations": {
            "en": (
                "Intermediary cities and the 2030 Agenda: lessons from ten territories",
                "Ten intermediary cities in Africa and Europe on how they connect basic "
                "services, local jobs and the ecological transition to the SDGs.",
            )
        },
        "points": [
            "Les villes intermédiaires relient les zones rurales aux grandes métropoles.",
            "Le dialogue avec les régions facilite l'accès aux financements.",
            "Les marchés locaux sont un levier d'emploi pour les jeunes.",
        ],
        "files": ["fr"],
    },
    {
        "kind": ResourceKind.PUBLICATION,
        "language": "es",
        "title": "Finanzas municipales para el desarrollo sostenible en América Latina",
        "summary": "Un panorama de los ingresos propios, las transferencias y el acceso al "
        "crédito de los municipios latinoamericanos, y de cómo los alinean con los ODS.",
        "year": 2023,
        "goals": [17, 11],
        "areas": ["local-finance"],
        "regions": ["latin-america"],
        "countries": ["EC", "CO", "MX", "BR"],
        "translations": {
            "en": (
                "Municipal finance for sustainable development in Latin America",
                "Own revenues, transfers and access to credit of Latin American "
                "municipalities, and how they align them with the SDGs.",
            )
        },
        "points": [
            "El impuesto predial sigue siendo la principal fuente de ingresos propios.",
            "Las transferencias condicionadas limitan la planificación a largo plazo.",
            "Los catastros actualizados aumentan la recaudación sin subir las tasas.",
        ],
        "files": ["es"],
    },
    {
        "kind": ResourceKind.PUBLICATION,
        "language": "en",
        "title": "Voluntary Local Reviews: a comparative report",
        "summary": "Thirty Voluntary Local Reviews read side by side: how cities chose their "
        "indicators, involved residents and used the review to change their policies.",
        "year": 2024,
        "goals": [17, 16, 11],
        "regions": ["europe", "latin-america", "asia-pacific"],
        "authors": "Local4Action Secretariat; Monitoring and research team",
        "points": [
            "Most reviews reuse indicators the city already collects.",
            "Reviews prepared with residents lead to more policy changes.",
            "A second review is easier: plan it when publishing the first.",
        ],
        "files": ["en"],
        "events": [VLR_EVENT],
    },
    {
        "kind": ResourceKind.PUBLICATION,
        "language": "en",
        "title": "Culture in the localization of the 2030 Agenda",
        "summary": "Heritage, creativity and cultural rights in local SDG strategies: examples "
        "of cities that made culture a driver of inclusion and sustainable tourism.",
        "year": 2022,
        "goals": [11, 4],
        "areas": ["culture"],
        "regions": ["europe", "africa"],
        "translations": {
            "es": (
                "La cultura en la localización de la Agenda 2030",
                "Patrimonio, creatividad y derechos culturales en las estrategias locales "
                "de los ODS.",
            )
        },
        "points": [
            "Cultural rights belong in every local SDG strategy.",
            "Heritage protection and sustainable tourism can go together.",
            "Libraries and cultural centres are places of participation.",
        ],
        "files": ["en", "es"],
    },
    {
        "kind": ResourceKind.PUBLICATION,
        "language": "fr",
        "title": "Résilience urbaine au Sahel : état des lieux",
        "summary": "Sécheresses, inondations et déplacements de population : comment les "
        "communes sahéliennes s'organisent pour réduire les risques et protéger les plus "
        "vulnérables.",
        "year": 2023,
        "goals": [13, 11, 1],
        "areas": ["ecological-transition"],
        "regions": ["africa"],
        "countries": ["BF", "ML", "NE"],
        "points": [
            "Les comités communaux de gestion des risques se réunissent avant la saison "
            "des pluies.",
            "Les cartes de zones inondables guident l'attribution des parcelles.",
            "Les transferts monétaires rapides protègent les ménages vulnérables.",
        ],
        "files": ["fr"],
    },
    {
        "kind": ResourceKind.PUBLICATION,
        "language": "en",
        "title": "Feminist municipal leadership: voices from forty mayors",
        "summary": "Forty women mayors and councillors on how they reached office, what they "
        "changed in their city halls and what would help more women lead locally.",
        "year": 2025,
        "goals": [5, 16],
        "areas": ["gender-equality"],
        "regions": ["europe", "africa", "latin-america"],
        "organizations": ["diba"],
        "translations": {
            "fr": (
                "Leadership municipal féministe : la parole à quarante maires",
                "Quarante maires et conseillères racontent leur parcours et ce qu'elles ont "
                "changé dans leur mairie.",
            ),
            "es": (
                "Liderazgo municipal feminista: la voz de cuarenta alcaldesas",
                "Cuarenta alcaldesas y concejalas cuentan su trayectoria y lo que cambiaron "
                "en sus ayuntamientos.",
            ),
        },
        "points": [
            "Mentoring between elected women is the support cited most often.",
            "Meeting hours compatible with care duties open councils to more women.",
            "Gender-disaggregated data make inequalities visible in local budgets.",
        ],
        "files": ["en", "es"],
    },
    # Toolkits ------------------------------------------------------------------------------
    {
        "kind": ResourceKind.TOOLKIT,
        "language": "en",
        "title": "Voluntary Local Review toolkit: from data to dialogue",
        "summary": "A step-by-step toolkit to prepare a first Voluntary Local Review: choosing "
        "goals and indicators, gathering data, involving residents and presenting the "
        "results.",
        "year": 2024,
        "goals": [17, 11],
        "translations": {
            "fr": (
                "Boîte à outils pour l'examen local volontaire : des données au dialogue",
                "Pas à pas, préparer un premier examen local volontaire : objectifs, "
                "indicateurs, données, participation des habitants.",
            ),
            "es": (
                "Caja de herramientas para el informe local voluntario: de los datos al diálogo",
                "Paso a paso, preparar un primer informe local voluntario: objetivos, "
                "indicadores, datos y participación ciudadana.",
            ),
        },
        "points": [
            "Start from the goals your city's plan already pursues.",
            "Ask the statistics office for local data early.",
            "Present the review in a public meeting, not only online.",
        ],
        "files": ["en", "fr", "es"],
        "events": [VLR_EVENT],
    },
    {
        "kind": ResourceKind.TOOLKIT,
        "language": "es",
        "title": "Guía de presupuestos participativos con enfoque ODS",
        "summary": "Cómo organizar un presupuesto participativo cuyas propuestas se evalúan "
        "según su contribución a los Objetivos de Desarrollo Sostenible.",
        "year": 2023,
        "goals": [16, 11, 5],
        "areas": ["local-finance"],
        "regions": ["latin-america", "europe"],
        "translations": {
            "en": (
                "Participatory budgeting with the SDGs: a guide",
                "Organizing a participatory budget whose proposals are assessed by their "
                "contribution to the SDGs.",
            ),
            "fr": (
                "Guide du budget participatif aligné sur les ODD",
                "Organiser un budget participatif dont les propositions sont évaluées selon "
                "leur contribution aux ODD.",
            ),
        },
        "points": [
            "Reservar una parte del presupuesto de inversión para las propuestas vecinales.",
            "Evaluar cada propuesta con una ficha sencilla de metas ODS.",
            "Rendir cuentas de la ejecución en asambleas de barrio.",
        ],
        "files": ["es"],
    },
    {
        "kind": ResourceKind.TOOLKIT,
        "language": "en",
        "title": "Municipal green bonds: a practical guide",
        "summary": "What a city needs before issuing a green bond: a pipeline of eligible "
        "projects, a framework checked by a second party, and reporting that investors "
        "trust.",
        "year": 2024,
        "goals": [13, 11, 17],
        "areas": ["local-finance", "ecological-transition"],
        "points": [
            f"Build {PDF_ONLY_WORD} first: audited accounts and a credit rating.",
            "Select eligible projects: public transport, energy efficiency, water.",
            "Report each year on the money spent and the emissions avoided.",
        ],
        "files": ["en"],
        "links": [("Local finance at UCLG", "https://www.uclg.org/", "en")],
    },
    {
        "kind": ResourceKind.TOOLKIT,
        "language": "fr",
        "title": "Boîte à outils : budgétiser les ODD au niveau local",
        "summary": "Relier chaque ligne du budget communal aux cibles des objectifs de "
        "développement durable, pour voir où va l'argent et en débattre au conseil.",
        "year": 2025,
        "goals": [17, 16],
        "areas": ["local-finance"],
        "regions": ["africa", "europe"],
        "translations": {
            "en": (
                "Toolkit: budgeting for the SDGs locally",
                "Tag each line of the municipal budget with SDG targets, to see where the "
                "money goes and debate it in council.",
            )
        },
        "points": [
            f"Commencer par la {PDF_ONLY_ACCENTED} locale : recettes propres et transferts.",
            "Étiqueter les dépenses d'investissement avant celles de fonctionnement.",
            "Présenter le budget par objectif lors du débat d'orientation budgétaire.",
        ],
        "files": ["fr"],
    },
    {
        "kind": ResourceKind.TOOLKIT,
        "language": "en",
        "title": "Gender-responsive budgeting toolkit for local governments",
        "summary": "Tools to read a local budget through a gender lens: who benefits from each "
        "service, which needs go unmet, and how to set targets that close the gaps.",
        "year": 2023,
        "goals": [5, 17],
        "areas": ["gender-equality", "local-finance"],
        "organizations": ["diba"],
        "points": [
            "Collect service data by sex and age before changing the budget.",
            "Involve women's organizations in setting priorities.",
            "Track a few targets every year in the budget report.",
        ],
        "files": ["en"],
    },
    {
        "kind": ResourceKind.TOOLKIT,
        "language": "es",
        "title": "Caja de herramientas para la gestión del riesgo de inundaciones",
        "summary": "Mapas de riesgo, alerta temprana comunitaria y planes de evacuación: "
        "herramientas para ciudades intermedias expuestas a crecidas de ríos.",
        "year": 2022,
        "goals": [13, 11, 6],
        "areas": ["ecological-transition", "intermediary-cities"],
        "regions": ["latin-america"],
        "countries": ["EC"],
        "organizations": ["cuenca"],
        "points": [
            "Instalar pluviómetros comunitarios en las cuencas altas.",
            "Ensayar la evacuación con las escuelas cada año.",
            "Prohibir nuevas construcciones en las riberas inundables.",
        ],
        "files": ["es"],
    },
    {
        "kind": ResourceKind.TOOLKIT,
        "language": "en",
        "title": "Mapping SDG targets to municipal plans: a step-by-step guide",
        "summary": "A method to read a municipal development plan against the 169 SDG targets, "
        "find what it already covers and decide where to act next.",
        "year": 2021,
        "goals": [11, 17],
        "translations": {
            "fr": (
                "Relier les cibles des ODD aux plans communaux : guide pas à pas",
                "Une méthode pour lire un plan de développement communal au regard des 169 "
                "cibles des ODD.",
            )
        },
        "points": [
            "List the plan's objectives and match each to one or more targets.",
            "Mark targets no objective covers: they are the plan's blind spots.",
            "Share the map with departments so they own their targets.",
        ],
        "files": ["en"],
    },
    # Training modules ----------------------------------------------------------------------
    {
        "kind": ResourceKind.TRAINING,
        "language": "en",
        "title": "Resilience module 1: Understanding local risk",
        "summary": "The first module of the resilience course: hazards, exposure and "
        "vulnerability in a city, and how to draw a simple risk map with residents.",
        "year": 2024,
        "goals": [11, 13],
        "areas": ["ecological-transition"],
        "translations": {
            "fr": (
                "Module résilience 1 : comprendre les risques locaux",
                "Aléas, exposition et vulnérabilité : dessiner une carte des risques avec "
                "les habitants.",
            ),
            "es": (
                "Módulo de resiliencia 1: comprender el riesgo local",
                "Amenazas, exposición y vulnerabilidad: dibujar un mapa de riesgos con los "
                "vecinos.",
            ),
        },
        "points": [
            "Risk is hazard, exposure and vulnerability together.",
            "Residents know where the water rises: ask them first.",
            "Exercise: draw the risk map of one neighbourhood.",
        ],
        "files": ["en"],
    },
    {
        "kind": ResourceKind.TRAINING,
        "language": "en",
        "title": "Resilience module 2: Early warning with communities",
        "summary": "How to set up an early warning system that reaches everybody: sirens, "
        "text messages, community radios and volunteers who know their streets.",
        "year": 2024,
        "goals": [13, 11],
        "areas": ["ecological-transition"],
        "points": [
            "A warning works only if people know what to do when they hear it.",
            "Use several channels: one will fail on the day.",
            "Volunteers check on elderly and disabled neighbours.",
        ],
        "files": ["en"],
    },
    {
        "kind": ResourceKind.TRAINING,
        "language": "en",
        "title": "Resilience module 3: Financing adaptation",
        "summary": "Where the money for adaptation comes from: the local budget, national "
        "funds, climate finance and insurance, and how to prepare projects that get funded.",
        "year": 2024,
        "goals": [13, 17],
        "areas": ["ecological-transition", "local-finance"],
        "points": [
            "Put adaptation lines in the regular budget, not only in projects.",
            "Climate funds ask for a risk analysis and a results framework.",
            "Parametric insurance pays quickly after a disaster.",
        ],
        "files": ["en"],
    },
    {
        "kind": ResourceKind.TRAINING,
        "language": "en",
        "title": "Resilience module 4: Recovering better after a disaster",
        "summary": "The last module: organizing recovery so that rebuilt homes, schools and "
        "networks are safer than before, and the most affected have a say.",
        "year": 2025,
        "goals": [11, 1, 13],
        "areas": ["ecological-transition"],
        "points": [
            "Plan recovery before the disaster: who decides, with what money.",
            "Rebuild away from the riskiest places when people agree to move.",
            "Keep a record of lessons learned for the next time.",
        ],
        "files": ["en"],
    },
    {
        "kind": ResourceKind.TRAINING,
        "language": "fr",
        "title": "Module de formation : conduire un examen local volontaire",
        "summary": "Une formation de deux jours pour les équipes municipales qui préparent "
        "leur premier examen local volontaire des ODD.",
        "year": 2023,
        "goals": [17],
        "regions": ["africa"],
        "translations": {
            "en": (
                "Training module: carrying out a Voluntary Local Review",
                "A two-day training for municipal teams preparing their first Voluntary "
                "Local Review of the SDGs.",
            )
        },
        "points": [
            "Jour 1 : choisir les objectifs et les indicateurs.",
            "Jour 2 : collecter les données et associer les habitants.",
            "Exercice : rédiger le plan du rapport de sa commune.",
        ],
        "files": ["fr"],
    },
    {
        "kind": ResourceKind.TRAINING,
        "language": "es",
        "title": "Curso: liderazgo feminista en el gobierno local",
        "summary": "Un curso en cuatro sesiones para concejalas y técnicas municipales: "
        "negociación, comunicación pública y políticas con perspectiva de género.",
        "year": 2024,
        "goals": [5, 16],
        "areas": ["gender-equality"],
        "organizations": ["diba"],
        "translations": {
            "en": (
                "Course: feminist leadership in local government",
                "Four sessions for councillors and municipal officers: negotiation, public "
                "speaking and gender-responsive policies.",
            ),
            "fr": (
                "Cours : leadership féministe dans les collectivités locales",
                "Quatre séances pour élues et cadres municipales : négociation, prise de "
                "parole et politiques sensibles au genre.",
            ),
        },
        "points": [
            "Sesión 1: negociar en el pleno municipal.",
            "Sesión 2: comunicar con la prensa y en redes sociales.",
            "Sesión 3 y 4: diseñar una política local con perspectiva de género.",
        ],
        "files": ["es"],
    },
    # Policy papers -------------------------------------------------------------------------
    {
        "kind": ResourceKind.POLICY_PAPER,
        "language": "en",
        "title": "Fiscal decentralization for the 2030 Agenda: a policy brief",
        "summary": "Cities carry out most of the investment the SDGs need but control a small "
        "share of public revenue: five proposals to national governments and lenders.",
        "year": 2023,
        "goals": [17, 11],
        "areas": ["local-finance"],
        "translations": {
            "fr": (
                "Décentralisation budgétaire et Agenda 2030 : note de politique",
                "Cinq propositions aux gouvernements nationaux et aux bailleurs pour que les "
                "villes financent les ODD.",
            ),
            "es": (
                "Descentralización fiscal para la Agenda 2030: nota de política",
                "Cinco propuestas a los gobiernos nacionales y a los financiadores para que "
                "las ciudades financien los ODS.",
            ),
        },
        "points": [
            "Predictable transfers, known three years ahead.",
            "The right to raise own revenues, with national support for collection.",
            "Access to borrowing under clear prudential rules.",
        ],
        "files": ["en"],
    },
    {
        "kind": ResourceKind.POLICY_PAPER,
        "language": "fr",
        "title": "Note d'orientation : l'accès des collectivités au financement climatique",
        "summary": "Moins de dix pour cent des financements climatiques atteignent le niveau "
        "local : ce que les fonds, les États et les collectivités peuvent changer.",
        "year": 2024,
        "goals": [13, 17],
        "areas": ["local-finance", "ecological-transition"],
        "regions": ["africa"],
        "translations": {
            "en": (
                "Policy note: local governments' access to climate finance",
                "Less than ten per cent of climate finance reaches the local level: what "
                "funds, states and local governments can change.",
            )
        },
        "points": [
            "Ouvrir les guichets des fonds climat aux collectivités accréditées.",
            "Financer la préparation des projets, pas seulement leur réalisation.",
            "Mutualiser les demandes entre communes voisines.",
        ],
        "files": ["fr"],
    },
    {
        "kind": ResourceKind.POLICY_PAPER,
        "language": "en",
        "title": "Migration and inclusive cities: policy recommendations",
        "summary": "Cities receive migrants and refugees first: recommendations on access to "
        "services, housing, work and participation whatever a person's status.",
        "year": 2022,
        "goals": [10, 11],
        "areas": ["migration-inclusive-cities"],
        "regions": ["mewa", "europe"],
        "points": [
            "Open basic services to every resident, whatever their papers.",
            "One-stop shops help newcomers find housing and work.",
            "Migrants' associations should sit on city advisory councils.",
        ],
        "files": ["en"],
    },
    {
        "kind": ResourceKind.POLICY_PAPER,
        "language": "es",
        "title": "Documento de posición: la cultura como cuarto pilar del desarrollo sostenible",
        "summary": "Por qué la cultura debe figurar junto a lo social, lo económico y lo "
        "ambiental en las estrategias locales de desarrollo sostenible.",
        "year": 2021,
        "goals": [11, 4],
        "areas": ["culture"],
        "points": [
            "Los derechos culturales forman parte de los derechos humanos.",
            "Las políticas culturales locales necesitan presupuesto propio.",
            "La diversidad cultural es un recurso para la cohesión social.",
        ],
        "files": ["es"],
    },
    {
        "kind": ResourceKind.POLICY_PAPER,
        "language": "en",
        "title": "Peace and local governance: the role of cities in conflict prevention",
        "summary": "Local governments mediate between communities, restore services after "
        "violence and rebuild trust: how national and international partners can support "
        "them.",
        "year": 2025,
        "goals": [16],
        "areas": ["peace"],
        "regions": ["africa", "mewa"],
        "points": [
            "Local mediation committees defuse disputes over land and water.",
            "Restoring water and schools quickly rebuilds trust in institutions.",
            "City-to-city cooperation keeps contacts open across divides.",
        ],
        "files": ["en"],
    },
    # Videos (links only) -------------------------------------------------------------------
    {
        "kind": ResourceKind.VIDEO,
        "language": "en",
        "title": "What is a Voluntary Local Review? (video, 6 minutes)",
        "summary": "A short animated video explaining why cities review their progress on the "
        "SDGs and how a review is prepared, with examples from the network.",
        "year": 2024,
        "goals": [17],
        "translations": {
            "fr": (
                "Qu'est-ce qu'un examen local volontaire ? (vidéo, 6 minutes)",
                "Une courte vidéo animée : pourquoi et comment les villes examinent leurs "
                "progrès vers les ODD.",
            ),
            "es": (
                "¿Qué es un informe local voluntario? (vídeo, 6 minutos)",
                "Un breve vídeo animado: por qué y cómo las ciudades revisan sus avances "
                "hacia los ODS.",
            ),
        },
        "links": [
            ("Watch the video", "https://video.local4action.test/what-is-a-vlr", "en"),
            ("Subtitles in French", "https://video.local4action.test/what-is-a-vlr?cc=fr", "fr"),
        ],
    },
    {
        "kind": ResourceKind.VIDEO,
        "language": "fr",
        "title": "Le budget participatif expliqué par des élues locales",
        "summary": "Trois élues locales racontent en vidéo comment leurs habitants décident "
        "d'une partie des investissements de la commune.",
        "year": 2023,
        "goals": [16, 5],
        "areas": ["gender-equality", "local-finance"],
        "regions": ["africa", "europe"],
        "links": [
            (
                "Voir la vidéo",
                "https://video.local4action.test/budget-participatif-elues",
                "fr",
            )
        ],
    },
    {
        "kind": ResourceKind.VIDEO,
        "language": "es",
        "title": "Cuenca y sus ríos: una ciudad que se adapta",
        "summary": "Un documental corto sobre cómo Cuenca recupera sus cuatro ríos y prepara "
        "a sus barrios ante las crecidas.",
        "year": 2024,
        "goals": [6, 13, 11],
        "areas": ["ecological-transition", "intermediary-cities"],
        "regions": ["latin-america"],
        "countries": ["EC"],
        "organizations": ["cuenca"],
        "links": [("Ver el vídeo", "https://video.local4action.test/cuenca-rios", "es")],
    },
    {
        "kind": ResourceKind.VIDEO,
        "language": "en",
        "title": "Webinar recording: municipal finance in intermediary cities",
        "summary": "Finance officers from four intermediary cities discuss own revenues, "
        "borrowing and budgeting for the SDGs (90 minutes, with questions from members).",
        "year": 2025,
        "goals": [17, 11],
        "areas": ["local-finance", "intermediary-cities"],
        "links": [
            (
                "Watch the recording",
                "https://video.local4action.test/webinar-municipal-finance",
                "en",
            ),
            ("Localizing the SDGs platform", "https://www.localizingthesdgs.org/", "en"),
        ],
    },
    {
        "kind": ResourceKind.VIDEO,
        "language": "en",
        "title": "Resilience in practice: three cities, three stories",
        "summary": "Short portraits of three cities that faced floods, drought and a landslide, "
        "and what they changed afterwards.",
        "year": 2023,
        "goals": [11, 13],
        "areas": ["ecological-transition"],
        "links": [
            ("Watch the video", "https://video.local4action.test/resilience-three-cities", "en")
        ],
    },
]

# Good practices written by the secretariat: resource fields as above, and the case study.
SECRETARIAT_PRACTICES = [
    (
        {
            "kind": ResourceKind.GOOD_PRACTICE,
            "language": "fr",
            "title": "Ouahigouya : des comités de quartier pour la gestion des déchets",
            "summary": "La commune a confié la pré-collecte des déchets à des comités de "
            "quartier rémunérés, avec des points de regroupement et un suivi mensuel.",
            "year": 2023,
            "goals": [11, 12],
            "areas": ["intermediary-cities"],
            "regions": ["africa"],
            "countries": ["BF"],
            "organizations": ["ouahigouya"],
        },
        {
            "context": "Une ville de 150 000 habitants où la moitié des déchets n'était pas "
            "collectée.",
            "what_was_done": "Douze comités de quartier assurent la pré-collecte vers des "
            "points de regroupement ; la commune les rémunère et transporte les déchets.",
            "results": "Taux de collecte passé de 48 % à 81 % en deux ans ; 120 emplois "
            "créés, dont 70 occupés par des femmes.",
            "success_factors": "Des comités élus par les habitants et payés à temps.",
            "watch_out": "Prévoir l'entretien des charrettes et des points de regroupement.",
            "replication": "Commencer par deux quartiers pilotes avant d'étendre.",
            "contact": "Direction des services techniques, commune de Ouahigouya",
        },
    ),
    (
        {
            "kind": ResourceKind.GOOD_PRACTICE,
            "language": "en",
            "title": "Kasama: solar mini-grids run by the municipality",
            "summary": "Kasama brought electricity to three peri-urban wards with solar "
            "mini-grids owned by the municipality and paid for through affordable tariffs.",
            "year": 2024,
            "goals": [7, 13, 11],
            "areas": ["ecological-transition", "intermediary-cities"],
            "regions": ["africa"],
            "countries": ["ZM"],
            "organizations": ["kasama"],
        },
        {
            "context": "Three wards on the edge of the town had no grid connection and relied "
            "on kerosene.",
            "what_was_done": "The council installed three solar mini-grids with batteries and "
            "trained local technicians to run them.",
            "results": "1,900 households and 140 small businesses connected; kerosene use down "
            "by 85%; tariffs cover running costs since the second year.",
            "success_factors": "Tariffs set with the ward committees; local technicians.",
            "watch_out": "Batteries must be replaced after about eight years: save for it.",
            "replication": "Start where the national grid will not arrive within ten years.",
            "contact": "Energy office, Kasama Municipal Council",
        },
    ),
]

# Good practices drawn from demo HUBs (lead organization's slug), completed and published.
HUB_PRACTICES = {
    # In the HUB's own language (the good practice keeps it).
    "bilbao": {
        "success_factors": "Valores elegidos con los barrios, y escuelas, clubes y asociaciones "
        "que los llevaron a la vida cotidiana.",
        "watch_out": "Mantener la campaña concreta: los valores por sí solos no cambian los "
        "comportamientos.",
        "replication": "Empezar con un debate público sobre los valores que comparte la "
        "ciudad; después, cada organización elige uno y trabaja en él durante un año.",
        "contact": "Área de Participación Ciudadana, Ayuntamiento de Bilbao",
    },
    "valongo": {
        "success_factors": "Accessible meeting places and sign-language interpretation at "
        "every assembly.",
        "watch_out": "Participation drops if proposals are not carried out within a year.",
        "replication": "Reserve a fixed share of the investment budget and publish its "
        "execution every quarter.",
        "contact": "Participation Office, Municipality of Valongo",
    },
    "diba": {
        "success_factors": "A network of elected women across municipalities who mentor the "
        "newcomers.",
        "watch_out": "Training alone is not enough: council schedules must change too.",
        "replication": "Begin with a mentoring pairing of experienced and new councillors.",
        "contact": "Gender Equality Office, Barcelona Provincial Council",
    },
}
# From a HUB, submitted by its team and waiting for review.
HUB_SUBMITTED = "xian"
HUB_SUBMITTED_CASE = {
    "success_factors": "Universities and schools that host the exchanges every year.",
    "watch_out": "Travel costs: plan online sessions between the visits.",
    "replication": "Pair each school with a partner school abroad for two years.",
    "contact": "Foreign Affairs Office, City of Xi'an",
}
# A draft by a city team, not yet complete.
DRAFT = (
    {
        "kind": ResourceKind.GOOD_PRACTICE,
        "language": "fr",
        "title": "Dschang : un budget participatif pour les quartiers",
        "summary": "Les habitants de Dschang choisissent chaque année des petits projets "
        "d'investissement dans leur quartier.",
        "year": 2025,
        "goals": [16, 11],
        "areas": ["local-finance"],
        "regions": ["africa"],
        "countries": ["CM"],
    },
    "dschang",
    {"context": "Une ville universitaire de 100 000 habitants à l'ouest du Cameroun."},
)

COLLECTIONS = [
    (
        FINANCE,
        "Money decides what a city can do for the SDGs. This collection gathers the "
        "network's guides, policy papers and training on local revenues, budgeting for the "
        "goals, borrowing and climate finance, from the broad picture to the tools.",
        [
            "Fiscal decentralization for the 2030 Agenda: a policy brief",
            "Finanzas municipales para el desarrollo sostenible en América Latina",
            "Boîte à outils : budgétiser les ODD au niveau local",
            "Gender-responsive budgeting toolkit for local governments",
            "Municipal green bonds: a practical guide",
            "Note d'orientation : l'accès des collectivités au financement climatique",
            "Resilience module 3: Financing adaptation",
            "Webinar recording: municipal finance in intermediary cities",
        ],
    ),
    (
        RESILIENCE,
        "A course in four modules for municipal teams, from understanding local risk to "
        "recovering after a disaster, followed by a toolkit and stories from cities. Take "
        "the modules in order.",
        [
            "Resilience module 1: Understanding local risk",
            "Resilience module 2: Early warning with communities",
            "Resilience module 3: Financing adaptation",
            "Resilience module 4: Recovering better after a disaster",
            "Caja de herramientas para la gestión del riesgo de inundaciones",
            "Resilience in practice: three cities, three stories",
        ],
    ),
]


# Building blocks -----------------------------------------------------------------------------


def _pdf(*, title: str, summary: str, language: str, authors: str, year, points=()) -> bytes:
    from weasyprint import HTML

    summary_heading, points_heading, footer = PDF_WORDING[language]
    items = "".join(f"<li>{html.escape(point)}</li>" for point in points)
    body = (
        f"<h1>{html.escape(title)}</h1>"
        f'<p class="meta">{html.escape(authors)} · {year}</p>'
        f"<h2>{summary_heading}</h2><p>{html.escape(summary)}</p>"
        + (f"<h2>{points_heading}</h2><ul>{items}</ul>" if items else "")
        + f'<p class="meta">{footer}</p>'
    )
    document = (
        f'<html lang="{language}"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f"</title><style>{PDF_STYLE}</style></head><body>{body}</body></html>"
    )
    return HTML(string=document).write_pdf()


def _data(spec: dict) -> dict:
    return {
        "kind": spec["kind"],
        "language": spec["language"],
        "title": spec["title"],
        "summary": spec["summary"],
        "authors": spec.get("authors", SECRETARIAT_AUTHORS),
        "year": spec["year"],
        "goals": list(Goal.objects.filter(number__in=spec.get("goals", []))),
        "policy_areas": list(PolicyArea.objects.filter(slug__in=spec.get("areas", []))),
        "regions": list(RegionalSection.objects.filter(slug__in=spec.get("regions", []))),
        "countries": spec.get("countries", []),
        "events": list(Event.objects.filter(slug__in=spec.get("events", []))),
        "organizations": list(Organization.objects.filter(slug__in=spec.get("organizations", []))),
    }


def _add_files(resource: Resource, spec: dict, *, actor) -> None:
    translations = spec.get("translations", {})
    for language in spec.get("files", []):
        if language == spec["language"]:
            title, summary, points = spec["title"], spec["summary"], spec.get("points", ())
        else:
            (title, summary), points = translations[language], ()
        content = _pdf(
            title=title,
            summary=summary,
            language=language,
            authors=spec.get("authors", SECRETARIAT_AUTHORS),
            year=spec["year"],
            points=points,
        )
        name = f"{resource.slug[:80]}-{language}.pdf"
        uploaded = SimpleUploadedFile(name, content, content_type="application/pdf")
        file = services.resource_file_add(
            actor=actor, resource=resource, uploaded=uploaded, language=language
        )
        # Read now rather than when a task worker gets to it: the demo is searchable at once
        # (the queued task finds it done: extraction is idempotent).
        services.extract_text(file_id=file.pk)


def _write(spec: dict, *, actor, organization=None) -> Resource:
    """A draft with its translations, PDFs and links."""
    resource = services.resource_create(actor=actor, data=_data(spec), organization=organization)
    for language, (title, summary) in spec.get("translations", {}).items():
        services.resource_translation_set(
            actor=actor, resource=resource, language=language, title=title, summary=summary
        )
    _add_files(resource, spec, actor=actor)
    for label, url, language in spec.get("links", []):
        services.resource_link_add(
            actor=actor, resource=resource, url=url, label=label, language=language
        )
    return resource


def _published_on(resource: Resource, index: int) -> None:
    """Spread publication dates over the resource's year (never in the future)."""
    day = datetime.date(resource.year, 1, 15) + datetime.timedelta(days=(index * 37) % 330)
    moment = min(
        datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC),
        timezone.now() - datetime.timedelta(days=index + 1),
    )
    Resource.objects.filter(pk=resource.pk).update(published_at=moment)


def _complete(resource: Resource, case: dict, *, actor) -> None:
    """Fill the case study's empty fields (a HUB's draft comes pre-filled)."""
    current = resource.case
    missing = {field: value for field, value in case.items() if not getattr(current, field)}
    if missing:
        services.good_practice_update(actor=actor, resource=resource, data=missing)


def _team_user(organization_slug: str) -> User | None:
    """The demo account that writes for the organization, if it has one."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organization__slug=organization_slug,
            memberships__status=MembershipStatus.ACTIVE,
            memberships__role=MembershipRole.ADMIN,
        )
        .order_by("pk")
        .first()
    )


# Entry point --------------------------------------------------------------------------------


def seed(stdout) -> None:
    """Add the demo library's resources, good practices and collections that are missing."""
    created = 0
    with transaction.atomic():
        editor = User.objects.get(email=EDITOR)
        staff = User.objects.get(email=STAFF)
        existing = set(Resource.objects.values_list("title", flat=True))

        for index, spec in enumerate(RESOURCES):
            if spec["title"] in existing:
                continue
            resource = _write(spec, actor=editor)
            services.resource_publish(actor=staff, resource=resource)
            _published_on(resource, index)
            created += 1

        for index, (spec, case) in enumerate(SECRETARIAT_PRACTICES, start=len(RESOURCES)):
            if spec["title"] in existing:
                continue
            resource = _write(spec, actor=editor)
            services.good_practice_update(actor=editor, resource=resource, data=case)
            services.resource_publish(actor=staff, resource=resource)
            _published_on(resource, index)
            created += 1

        hubs = demo_initiatives()
        drawn = set(
            GoodPractice.objects.filter(initiative__isnull=False).values_list(
                "initiative_id", flat=True
            )
        )
        for slug, case in [*HUB_PRACTICES.items(), (HUB_SUBMITTED, HUB_SUBMITTED_CASE)]:
            initiative = hubs.get(slug)
            if initiative is None or initiative.pk in drawn:
                continue
            team = _team_user(slug) or staff
            resource = services.good_practice_from_initiative(actor=team, initiative=initiative)
            _complete(resource, case, actor=team)
            services.resource_submit(actor=team, resource=resource)
            if slug != HUB_SUBMITTED:
                services.resource_publish(actor=staff, resource=resource)
            created += 1

        spec, organization_slug, case = DRAFT
        if spec["title"] not in existing:
            team = _team_user(organization_slug)
            organization = Organization.objects.get(slug=organization_slug)
            resource = _write(spec, actor=team, organization=organization)
            services.good_practice_update(actor=team, resource=resource, data=case)
            created += 1

        collections = set(Collection.objects.values_list("title", flat=True))
        for title, introduction, items in COLLECTIONS:
            if title in collections:
                continue
            collection = services.collection_create(
                actor=staff, title=title, introduction=introduction, language="en"
            )
            by_title = dict(Resource.objects.filter(title__in=items).values_list("title", "pk"))
            services.collection_set_items(
                actor=staff,
                collection=collection,
                resource_ids=[by_title[t] for t in items if t in by_title],
            )
            services.collection_update(actor=staff, collection=collection, data={"published": True})

    published = Resource.objects.filter(status=ResourceStatus.PUBLISHED).count()
    stdout.write(
        f"Demo library: {Resource.objects.count()} resources ({created} new), {published} "
        f"published, {Collection.objects.count()} collections."
    )
