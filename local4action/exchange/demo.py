"""Demo discussions of the exchange space, added by `manage.py seed_demo` (after the network).

Five lively threads in English, French and Spanish, written by the demo people over the past
weeks: about two HUBs (Bilbao's forums of values, Chefchaouen's water and tourism), about SDG 11,
about the gender equality policy area and about the past demo seminar week. They have replies
(one level), reactions, a mention, followers; one message is reported and waits in the
moderation queue, another was hidden by the secretariat with its reason.

The services refuse to date messages in the past and limit how fast one may post, so the rows
are written with the ORM, as the services would have left them: sanitized bodies, the search
words of `core.search.document`, the threads' `posts_count` and `last_post_at`, the author
following their thread, audit rows dated when it happened. A thread found by its title is left
alone: running the command again adds nothing.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from local4action.accounts.models import User
from local4action.calls.demo import STAFF
from local4action.core import search
from local4action.core.models import AuditEvent, Goal, PolicyArea
from local4action.core.richtext import sanitize
from local4action.core.services import audit_record
from local4action.events.demo import SEMINAR_SLUG
from local4action.events.models import Event
from local4action.monitoring.demo import demo_initiatives

from .choices import ReactionKind, ReportStatus, Topic
from .models import Follow, Post, Reaction, Report, Thread

MODERATOR = "staff@local4action.test"
REPORTED_BY = "partner@local4action.test"
HIDDEN_REASON = (
    "Hidden to protect residents' personal data (names and phone numbers). "
    "— Masqué pour protéger des données personnelles. — Oculto para proteger datos personales."
)

# Each thread: its topic, title, language, when it started (days ago), its followers besides
# the author, and its messages: (key, author, body, hours after the start, parent key,
# reactions as [(email, kind)]). Special keys: "reported" and "hidden".
THREADS = [
    {
        "topic": (Topic.INITIATIVE, "bilbao"),
        "title": "¿Cómo organizar un foro de valores con la ciudadanía?",
        "language": "es",
        "days_ago": 34,
        "followers": ["member@local4action.test", "valongo@local4action.test"],
        "posts": [
            (
                "start",
                "bilbao@local4action.test",
                "<p>Hemos celebrado el primer foro en línea para redactar el "
                "<strong>Manifiesto de valores</strong> de Bilbao. Participaron más de 500 "
                "personas. ¿Qué formatos usáis vosotros para que la ciudadanía participe de "
                "verdad y no solo escuche?</p>",
                0,
                None,
                [("valongo@local4action.test", "like"), ("member@local4action.test", "support")],
            ),
            (
                "valongo",
                "valongo@local4action.test",
                "<p>In Valongo we start every participatory session in small groups of six, "
                "with a facilitator from the neighbourhood. People speak much more than in a "
                "plenary. Happy to share our facilitation guide.</p>",
                5,
                "start",
                [("bilbao@local4action.test", "thanks")],
            ),
            (
                "member",
                "member@local4action.test",
                "<p>Gracias. En el segundo foro probaremos los grupos pequeños. "
                "@valongo@local4action.test, ¿el guion de facilitación está en inglés?</p>",
                9,
                "start",
                [],
            ),
            (
                "xian",
                "xian@local4action.test",
                "<p>Our young people would love to join one of your forums online. We have "
                "asked Bilbao to connect on the platform.</p>",
                30,
                None,
                [("bilbao@local4action.test", "like")],
            ),
        ],
    },
    {
        "topic": (Topic.INITIATIVE, "chefchaouen"),
        "title": "Eau et tourisme : mesurer la consommation par nuitée",
        "language": "fr",
        "days_ago": 21,
        "followers": ["ouahigouya@local4action.test"],
        "posts": [
            (
                "start",
                "dschang@local4action.test",
                "<p>Chefchaouen suit la consommation d'eau par nuitée touristique. À Dschang, "
                "nous voudrions faire de même pour les hôtels de la ville. Quels compteurs "
                "avez-vous installés, et qui relève les données&nbsp;?</p>",
                0,
                None,
                [("ouahigouya@local4action.test", "insightful")],
            ),
            (
                "staff",
                "staff@local4action.test",
                "<p>Chefchaouen présentera son tableau de bord lors d'un webinaire du "
                "secrétariat le mois prochain. Cuenca a aussi un tableau ouvert sur la "
                "qualité de l'eau des rivières&nbsp;: voir ses offres sur sa page.</p>",
                20,
                "start",
                [("dschang@local4action.test", "thanks")],
            ),
            (
                "ouahigouya",
                "ouahigouya@local4action.test",
                "<p>À Ouahigouya, ce sont les groupements de femmes qui relèvent les compteurs "
                "des points d'eau. Cela marche bien et crée un peu de revenu.</p>",
                44,
                None,
                [("dschang@local4action.test", "like"), ("staff@local4action.test", "support")],
            ),
        ],
    },
    {
        "topic": (Topic.GOAL, 11),
        "title": "Localizing SDG 11: which indicators do intermediary cities use?",
        "language": "en",
        "days_ago": 15,
        "followers": ["partner@local4action.test", "bilbao@local4action.test"],
        "posts": [
            (
                "start",
                "valongo@local4action.test",
                "<p>The official indicators of SDG 11 are hard to compute for a town of "
                "95,000 people. Which <em>local</em> indicators do you report on for "
                "sustainable cities and communities?</p>",
                0,
                None,
                [
                    ("partner@local4action.test", "insightful"),
                    ("xian@local4action.test", "like"),
                ],
            ),
            (
                "partner",
                "partner@local4action.test",
                "<p>UN-Habitat's Urban Monitoring Framework has a short list that works for "
                "intermediary cities: access to public transport, public space per person, "
                "waste collected. We can help you pick three.</p>",
                6,
                "start",
                [("valongo@local4action.test", "thanks"), ("bilbao@local4action.test", "like")],
            ),
            (
                "bilbao",
                "bilbao@local4action.test",
                "<p>En Bilbao medimos el espacio público por habitante y la percepción de "
                "seguridad por barrio, con una encuesta anual.</p>",
                26,
                None,
                [],
            ),
            (
                "reported",
                "member@local4action.test",
                "<p>Indicators are useless, nobody reads them. We should stop wasting time "
                "on these reports.</p>",
                31,
                None,
                [],
            ),
            (
                "hidden",
                "dschang@local4action.test",
                "<p>For the survey on public space, here are the residents who complained, "
                "with their phone numbers: Jean M. +237 699 00 00 01, Esther K. +237 699 00 00 "
                "02. Call them directly.</p>",
                40,
                None,
                [],
            ),
        ],
    },
    {
        "topic": (Topic.POLICY_AREA, "gender-equality"),
        "title": "Women in local politics: mentoring newly elected councillors",
        "language": "en",
        "days_ago": 9,
        "followers": ["valongo@local4action.test"],
        "posts": [
            (
                "start",
                "admin@local4action.test",
                "<p>Barcelona Provincial Council pairs experienced and newly elected women "
                "councillors for a year. Who runs something similar, and what did you "
                "learn?</p>",
                0,
                None,
                [("partner@local4action.test", "support")],
            ),
            (
                "dschang",
                "dschang@local4action.test",
                "<p>À Dschang, un réseau de conseillères municipales se réunit chaque "
                "trimestre. Un parrainage sur un an nous intéresse beaucoup.</p>",
                12,
                "start",
                [("admin@local4action.test", "like")],
            ),
            (
                "valongo",
                "valongo@local4action.test",
                "<p>We would add a session on participatory budgeting to the programme: our "
                "training is open to your councillors.</p>",
                30,
                "start",
                [],
            ),
        ],
    },
    {
        "topic": (Topic.EVENT, SEMINAR_SLUG),
        "title": "After the seminar week: what do we do with the billboard ideas?",
        "language": "en",
        "days_ago": 5,
        "followers": [
            "bilbao@local4action.test",
            "xian@local4action.test",
            "ouahigouya@local4action.test",
        ],
        "posts": [
            (
                "start",
                "staff@local4action.test",
                "<p>Thank you all for the co-creation session. The rapporteur's guidelines "
                "are published on the event page. Which billboard would you put up first in "
                "your city?</p>",
                0,
                None,
                [
                    ("bilbao@local4action.test", "thanks"),
                    ("xian@local4action.test", "thanks"),
                ],
            ),
            (
                "ouahigouya",
                "ouahigouya@local4action.test",
                "<p>« Ma ville, mon eau » : nous l'afficherons au marché central, en français "
                "et en mooré.</p>",
                3,
                "start",
                [("staff@local4action.test", "like")],
            ),
            (
                "bilbao",
                "bilbao@local4action.test",
                "<p>«&nbsp;Nuestra ciudad, nuestros valores&nbsp;»: lo presentaremos en el "
                "segundo foro.</p>",
                7,
                "start",
                [("ouahigouya@local4action.test", "like")],
            ),
            (
                "xian",
                "xian@local4action.test",
                "<p>Our youth council voted for the billboard on clean air. Could we share "
                "the designs so every city can adapt them?</p>",
                20,
                None,
                [("staff@local4action.test", "support"), ("bilbao@local4action.test", "like")],
            ),
        ],
    },
]


def _backdate_audit(target, when: datetime.datetime) -> None:
    event = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
        )
        .order_by("-pk")
        .first()
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)


def _audit(actor, action: str, target, when: datetime.datetime, **extra) -> None:
    audit_record(actor=actor, action=action, target=target, **extra)
    _backdate_audit(target, when)


def _about(topic: str, key):
    if topic == Topic.INITIATIVE:
        return demo_initiatives().get(key)
    if topic == Topic.GOAL:
        return Goal.objects.filter(number=key).first()
    if topic == Topic.POLICY_AREA:
        return PolicyArea.objects.filter(slug=key).first()
    return Event.objects.filter(slug=key).first()


def _seed_thread(spec: dict, people: dict[str, User], now: datetime.datetime) -> Thread | None:
    topic, key = spec["topic"]
    about = _about(topic, key)
    if about is None:
        return None
    language = spec["language"]
    started = now - datetime.timedelta(days=spec["days_ago"])
    start_author = people[spec["posts"][0][1]]
    thread = Thread.objects.create(
        title=spec["title"],
        author=start_author,
        language=language,
        search_text=search.document(spec["title"], language=language),
        **{topic: about},
    )
    Follow.objects.create(thread=thread, user=start_author)
    for email in spec["followers"]:
        Follow.objects.get_or_create(thread=thread, user=people[email])
    _audit(start_author, "thread.create", thread, started)
    posts: dict[str, Post] = {}
    moderator = people[MODERATOR]
    for key, email, body, hours, parent, reactions in spec["posts"]:
        author = people[email]
        created = started + datetime.timedelta(hours=hours)
        clean = sanitize(body).strip()
        text = strip_tags(clean).strip()
        post = Post.objects.create(
            thread=thread,
            parent=posts.get(parent),
            author=author,
            body=clean,
            language=language,
            search_text=search.document(text, language=language),
        )
        Post.objects.filter(pk=post.pk).update(created_at=created)
        post.created_at = created
        posts[key] = post
        _audit(author, "post.create", post, created)
        mentioned = [
            person for mail, person in people.items() if f"@{mail}" in text and person != author
        ]
        if mentioned:
            post.mentions.set(mentioned)
        Reaction.objects.bulk_create(
            Reaction(post=post, user=people[mail], kind=ReactionKind(kind))
            for mail, kind in reactions
        )
        if key == "reported":
            reporter = people[REPORTED_BY]
            when = created + datetime.timedelta(hours=2)
            report = Report.objects.create(
                post=post,
                reporter=reporter,
                reason="Dismissive of everybody's work; not a constructive contribution.",
            )
            Report.objects.filter(pk=report.pk).update(created_at=when, updated_at=when)
            _audit(reporter, "post.report", post, when, reason=report.reason)
        if key == "hidden":
            reporter = people[REPORTED_BY]
            reported_at = created + datetime.timedelta(hours=1)
            hidden_at = created + datetime.timedelta(hours=4)
            report = Report.objects.create(
                post=post,
                reporter=reporter,
                reason="Names and phone numbers of residents, published without their consent.",
                status=ReportStatus.HIDDEN,
                resolved_by=moderator,
            )
            Report.objects.filter(pk=report.pk).update(created_at=reported_at, updated_at=hidden_at)
            _audit(reporter, "post.report", post, reported_at, reason=report.reason)
            Post.objects.filter(pk=post.pk).update(
                hidden_at=hidden_at, hidden_reason=HIDDEN_REASON, hidden_by=moderator
            )
            _audit(moderator, "post.hide", post, hidden_at, reason=HIDDEN_REASON)
    last = max(post.created_at for post in posts.values())
    Thread.objects.filter(pk=thread.pk).update(
        posts_count=len(posts), last_post_at=last, created_at=started, updated_at=last
    )
    return thread


def seed(stdout) -> None:
    """Add the demo threads that are missing (found by title), and say what is there."""
    now = timezone.now()
    titles = [spec["title"] for spec in THREADS]
    created = 0
    with transaction.atomic():
        emails = {
            email
            for spec in THREADS
            for email in [
                *spec["followers"],
                *(p[1] for p in spec["posts"]),
                *(mail for p in spec["posts"] for mail, _kind in p[5]),
            ]
        } | {MODERATOR, REPORTED_BY, STAFF}
        people = {user.email: user for user in User.objects.filter(email__in=emails)}
        existing = set(Thread.objects.filter(title__in=titles).values_list("title", flat=True))
        for spec in THREADS:
            if spec["title"] not in existing and _seed_thread(spec, people, now):
                created += 1
    threads = Thread.objects.filter(title__in=titles)
    posts = Post.objects.filter(thread__in=threads)
    stdout.write(
        f"Demo exchange: {threads.count()} threads ({created} new), {posts.count()} messages, "
        f"{Report.objects.filter(post__in=posts, status=ReportStatus.OPEN).count()} waiting "
        f"for moderation, {posts.filter(hidden_at__isnull=False).count()} hidden."
    )
