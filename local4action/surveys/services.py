"""Every write on surveys and responses."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from local4action.accounts.selectors import primary_organization
from local4action.calls.models import in_language
from local4action.core.services import audit_record, notify

from . import answers, permissions
from .audience import audience_people
from .choices import CHOICE_KINDS, Audience, OnePer, QuestionKind, ResponseStatus
from .identity import uniqueness_key
from .models import Answer, AnswerItem, Page, Question, Response, Survey, SurveyInvitation


@transaction.atomic
def response_start(*, survey: Survey, user=None, token=None, now=None) -> Response:
    """Open (or resume) the respondent's response: only while the survey is open, only for
    its audience, and only one per person or per organization."""
    if not survey.is_open(now):
        raise ValidationError(_("This survey is not open."))
    if not permissions.in_audience(user, survey):
        raise PermissionDenied
    organization = primary_organization(user)
    if survey.one_per == OnePer.ORGANIZATION and organization is None:
        raise PermissionDenied
    if token is None and not (user and user.is_authenticated):
        raise PermissionDenied
    key = uniqueness_key(survey, user=user, organization=organization, token=token)
    existing = Response.objects.filter(survey=survey, uniqueness_key=key).first()
    if existing is not None:
        if existing.status == ResponseStatus.SUBMITTED and not survey.editable_until_close:
            raise ValidationError(_("You have already answered this survey."))
        return existing
    response = Response(
        survey=survey,
        uniqueness_key=key,
        language=(get_language() or "en")[:2],
        respondent=None if survey.anonymous else (user if user and user.is_authenticated else None),
        organization=organization,
        section=organization.regional_section if organization else None,
        organization_kind=organization.kind if organization else "",
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        # Two tabs started at once: both continue the same response.
        return Response.objects.get(survey=survey, uniqueness_key=key)
    return response


def _editable(response: Response, now=None) -> None:
    if not response.survey.is_open(now):
        raise ValidationError(_("This survey is closed; answers can no longer change."))
    if response.status == ResponseStatus.SUBMITTED and not response.survey.editable_until_close:
        raise ValidationError(_("Your answers have been submitted and can no longer change."))


def _known_answers(response: Response) -> dict[int, object]:
    return dict(response.answers.values_list("question_id", "value"))


@transaction.atomic
def response_save_page(
    *, response: Response, page: Page, data: dict, others: dict | None = None, now=None
) -> Response:
    """Save the answers of one page: every answer valid, required visible questions answered,
    hidden ones cleared. All or nothing, with one message per question."""
    response = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
    _editable(response, now)
    if page.survey_id != response.survey_id:
        raise PermissionDenied
    questions = list(page.questions.all())
    known = {q.pk for q in questions}
    if set(data) - known:
        raise ValidationError(_("This page has no such question."))
    others = others or {}
    given = _known_answers(response)
    cleaned, errors = {}, {}
    for question in questions:  # in order, so conditions on earlier answers apply
        if not answers.is_visible(question, given):
            cleaned[question.pk] = None
            continue
        try:
            result = answers.clean_answer(
                question, data.get(question.pk), others.get(question.pk, "")
            )
        except ValidationError as error:
            errors[question.key] = error.messages
            continue
        if result is None and question.required:
            errors[question.key] = [_("This question needs an answer.")]
        cleaned[question.pk] = result
        given[question.pk] = result.value if result else None
    if errors:
        raise ValidationError(errors)
    for question in questions:
        result = cleaned.get(question.pk)
        Answer.objects.filter(response=response, question=question).delete()
        if result is None:
            continue
        answer = Answer.objects.create(
            response=response,
            question=question,
            value=result.value,
            text=result.text,
            number=result.number,
        )
        AnswerItem.objects.bulk_create(
            AnswerItem(answer=answer, question=question, item=item[:100], score=score)
            for item, score in result.items
        )
    response.current_page = max(response.current_page, page.position + 1)
    response.save(update_fields=["current_page", "updated_at"])
    return response


@transaction.atomic
def response_submit(*, response: Response, now=None) -> Response:
    """Submit once every visible required question is answered."""
    response = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
    _editable(response, now)
    given = _known_answers(response)
    missing = [
        q.label
        for q in Question.objects.filter(survey=response.survey, required=True)
        if answers.is_visible(q, given) and q.pk not in given
    ]
    if missing:
        raise ValidationError(
            _("Some required questions are not answered: %(questions)s")
            % {"questions": "; ".join(missing)}
        )
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = response.submitted_at or (now or timezone.now())
    response.save(update_fields=["status", "submitted_at", "updated_at"])
    return response


LOCKED_FIELDS = ("kind", "scale_min", "scale_max", "rows")


@transaction.atomic
def question_update(*, actor, question: Question, data: dict) -> Question:
    """Staff may reword a question at any time, but once answers exist its kind, scale and
    rows stay as they were, and options can only be added: earlier answers keep their
    meaning."""
    if not permissions.can_manage_surveys(actor):
        raise PermissionDenied
    current = Question.objects.select_for_update().get(pk=question.pk)
    if current.answers.exists():
        changed = [f for f in LOCKED_FIELDS if f in data and data[f] != getattr(current, f)]
        if "options" in data:
            kept = {str(o["value"]) for o in data["options"]}
            if not set(current.option_values()) <= kept:
                changed.append("options")
        if changed:
            raise ValidationError(
                _(
                    "This question already has answers: its kind, scale, rows and existing "
                    "options cannot change. Add a new question instead."
                )
            )
    for name, value in data.items():
        setattr(current, name, value)
    errors = _question_errors(current)
    if errors:
        raise ValidationError(errors)
    current.full_clean()
    current.save()
    audit_record(actor=actor, action="survey.question_update", target=current)
    return current


# ---------------------------------------------------------------------------------------------
# Building surveys (secretariat): surveys, pages and questions.


LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
SURVEY_FIELDS = (
    "title",
    "introduction",
    "languages",
    "audience",
    "audience_kinds",
    "opens_at",
    "closes_at",
    "anonymous",
    "one_per",
    "editable_until_close",
    "results_public",
)
# Changing these once someone has answered would change what the stored responses mean (the
# uniqueness key of each response depends on them).
SURVEY_LOCKED_FIELDS = ("anonymous", "one_per")
QUESTION_FIELDS = (
    "kind",
    "text",
    "help",
    "required",
    "options",
    "allow_other",
    "max_choices",
    "scale_min",
    "scale_max",
    "scale_labels",
    "number_min",
    "number_max",
    "rows",
    "condition_question",
    "condition_values",
)
MAX_SCALE_STEPS = 11
KEY_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")


def _require_manager(actor) -> None:
    if not permissions.can_manage_surveys(actor):
        raise PermissionDenied


def _texts(value) -> dict:
    """A {"en": …} dict without empty languages."""
    if not isinstance(value, dict):
        return {}
    return {lang: str(text).strip() for lang, text in value.items() if str(text or "").strip()}


def _survey_errors(survey: Survey, *, sections, people) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not survey.languages:
        add("languages", _("Choose at least one language."))
    elif set(survey.languages) - set(LANGUAGE_CODES):
        add("languages", _("Choose languages among English, French and Spanish."))
    if not survey.title:
        add("title", _("Give the survey a title."))
    if survey.audience not in Audience.values:
        add("audience", _("Choose who may answer."))
    if survey.one_per not in OnePer.values:
        add("one_per", _("Choose whether to count one answer per person or per organization."))
    if not survey.opens_at or not survey.closes_at:
        add("opens_at", _("Give the opening and closing times."))
    elif survey.closes_at <= survey.opens_at:
        add("closes_at", _("The survey must close after it opens."))
    if survey.audience == Audience.PUBLIC and survey.one_per == OnePer.ORGANIZATION:
        add(
            "one_per",
            _(
                "A survey open to anyone with the link counts one answer per person, not per "
                "organization."
            ),
        )
    if survey.audience == Audience.ORGANIZATION_KINDS and not survey.audience_kinds:
        add("audience_kinds", _("Choose at least one kind of organization."))
    if survey.audience == Audience.SECTIONS and not sections:
        add("audience_sections", _("Choose at least one regional section."))
    if survey.audience == Audience.PEOPLE and not people:
        add("audience_people", _("Choose at least one person."))
    return errors


def _unique_slug(title: dict) -> str:
    base = slugify(in_language(title, "en"))[:200] or "survey"
    slug, n = base, 1
    while Survey.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _survey_save(*, survey: Survey, data: dict) -> tuple[Survey, dict]:
    """Apply `data`, check the rules, save; returns the survey and what changed."""
    changes = {}
    for name in SURVEY_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in ("title", "introduction"):
            value = _texts(value)
        elif name in ("languages", "audience_kinds"):
            value = [str(v) for v in (value or [])]
        if getattr(survey, name) != value:
            changes[name] = str(value)
        setattr(survey, name, value)
    if survey.audience != Audience.ORGANIZATION_KINDS:
        survey.audience_kinds = []
    sections = (
        list(data.get("audience_sections") or []) if survey.audience == Audience.SECTIONS else []
    )
    people = list(data.get("audience_people") or []) if survey.audience == Audience.PEOPLE else []
    if survey.pk and "audience_sections" not in data and survey.audience == Audience.SECTIONS:
        sections = list(survey.audience_sections.all())
    if survey.pk and "audience_people" not in data and survey.audience == Audience.PEOPLE:
        people = list(survey.audience_people.all())
    errors = _survey_errors(survey, sections=sections, people=people)
    if errors:
        raise ValidationError(errors)
    survey.full_clean()
    survey.save()
    survey.audience_sections.set(sections)
    survey.audience_people.set(people)
    return survey, changes


@transaction.atomic
def survey_create(*, actor, data: dict) -> Survey:
    """Secretariat only. A survey needs a title, at least one language, a closing time after
    its opening, and an audience that fits: a survey open to anyone with the link counts one
    answer per person. Starts unpublished; the web address comes from the title."""
    _require_manager(actor)
    survey = Survey(created_by=actor, template=data.get("template", ""))
    # Defaults for what the caller left out.
    data = {"languages": ["en"], **data}
    for name in SURVEY_FIELDS:
        if name not in data:
            data[name] = getattr(survey, name)
    survey.title = _texts(data.get("title"))
    survey.slug = _unique_slug(survey.title) if survey.title else ""
    survey, _changes = _survey_save(survey=survey, data=data)
    audit_record(actor=actor, action="survey.create", target=survey)
    return survey


@transaction.atomic
def survey_update(*, actor, survey: Survey, data: dict) -> Survey:
    """Secretariat only; the same rules as when creating. Once someone has answered, whether the
    survey is anonymous and whether it counts answers per person or per organization stay as
    they were: the stored responses depend on them."""
    _require_manager(actor)
    current = Survey.objects.select_for_update().get(pk=survey.pk)
    if current.responses.exists():
        locked = [f for f in SURVEY_LOCKED_FIELDS if f in data and data[f] != getattr(current, f)]
        if locked:
            raise ValidationError(
                _(
                    "People have already answered: whether the survey is anonymous and whether "
                    "it counts one answer per person or per organization can no longer change."
                )
            )
    current, changes = _survey_save(survey=current, data=data)
    audit_record(actor=actor, action="survey.update", target=current, changes=changes)
    return current


@transaction.atomic
def survey_publish(*, actor, survey: Survey) -> Survey:
    """Secretariat only. A survey is published once it has questions and no empty page."""
    _require_manager(actor)
    current = Survey.objects.select_for_update().get(pk=survey.pk)
    if not current.questions.exists():
        raise ValidationError(_("Add at least one question before publishing the survey."))
    if current.pages.filter(questions__isnull=True).exists():
        raise ValidationError(_("Remove the empty pages or add questions to them first."))
    current.published = True
    current.save(update_fields=["published", "updated_at"])
    audit_record(actor=actor, action="survey.publish", target=current)
    return current


@transaction.atomic
def page_add(*, actor, survey: Survey, title: dict | None = None) -> Page:
    """Secretariat only. A new page at the end of the survey."""
    _require_manager(actor)
    Survey.objects.select_for_update().get(pk=survey.pk)
    last = survey.pages.aggregate(last=Max("position"))["last"]
    page = Page.objects.create(
        survey=survey, position=0 if last is None else last + 1, title=_texts(title)
    )
    audit_record(actor=actor, action="survey.page_add", target=survey)
    return page


def _options(value, field: str, errors: dict) -> list[dict]:
    """Options or rows as [{"value": "…", "label": {…}}], values as strings."""
    cleaned = []
    for option in value or []:
        if not isinstance(option, dict) or str(option.get("value", "")).strip() == "":
            errors.setdefault(field, []).append(_("Each option needs a value."))
            return []
        label = option.get("label") or {}
        if isinstance(label, str):
            label = {"en": label}
        cleaned.append({"value": str(option["value"]).strip(), "label": _texts(label)})
    return cleaned


def _repeated(options: list[dict]) -> list[str]:
    values = [o["value"] for o in options]
    return sorted({v for v in values if values.count(v) > 1})


def _as_int(value):
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return "invalid"


def _order(question: Question) -> tuple[int, int]:
    return (question.page.position, question.position)


def _question_errors(question: Question) -> dict[str, list[str]]:
    """Per kind: what makes the question answerable, and a condition that can be evaluated."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    kind = question.kind
    if kind not in QuestionKind.values:
        add("kind", _("Choose a kind of question."))
        return errors
    if not question.text:
        add("text", _("Write the question."))
    if kind in CHOICE_KINDS:
        question.options = _options(question.options, "options", errors)
        if len(question.options) < 2:
            add("options", _("Give at least two options."))
        repeated = _repeated(question.options)
        if repeated:
            add(
                "options",
                _("Each option needs its own value; repeated: %(values)s.")
                % {"values": ", ".join(repeated)},
            )
    if kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
        low, high = _as_int(question.scale_min), _as_int(question.scale_max)
        if low is None or high is None or "invalid" in (low, high):
            add("scale_min", _("Give the lowest and highest values of the scale as whole numbers."))
        elif low >= high:
            add("scale_max", _("The highest value of the scale must be above the lowest."))
        elif high - low + 1 > MAX_SCALE_STEPS:
            add(
                "scale_max",
                _("A scale has at most %(n)s steps.") % {"n": MAX_SCALE_STEPS},
            )
        else:
            question.scale_min, question.scale_max = low, high
    if kind == QuestionKind.MATRIX:
        question.rows = _options(question.rows, "rows", errors)
        if not question.rows:
            add("rows", _("A grid needs at least one row."))
        repeated = _repeated(question.rows)
        if repeated:
            add(
                "rows",
                _("Each row needs its own value; repeated: %(values)s.")
                % {"values": ", ".join(repeated)},
            )
    if kind == QuestionKind.NUMBER:
        low, high = question.number_min, question.number_max
        if low is not None and high is not None and low > high:
            add("number_max", _("The highest number allowed must not be below the lowest."))
    condition = question.condition_question
    if condition is not None:
        earlier = (
            condition.survey_id == question.survey_id
            and condition.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
            and condition.pk != question.pk
            and _order(condition) < _order(question)
        )
        if not earlier:
            add(
                "condition_question",
                _(
                    "A condition can only depend on an earlier single- or multiple-choice "
                    "question of the same survey."
                ),
            )
        elif not question.condition_values:
            add("condition_values", _("Choose the answers that show this question."))
        elif not {str(v) for v in question.condition_values} <= set(condition.option_values()):
            add(
                "condition_values",
                _("The answers that show this question must be among the options of %(key)s.")
                % {"key": condition.key},
            )
        question.condition_values = [str(v) for v in question.condition_values]
    else:
        question.condition_values = []
    return errors


def _new_key(survey: Survey, text: dict) -> str:
    base = slugify(in_language(text, "en")).replace("-", "_")[:40].strip("_")
    base = base or f"q{survey.questions.count() + 1}"
    key, n = base, 1
    while survey.questions.filter(key=key).exists():
        n += 1
        key = f"{base}_{n}"
    return key


@transaction.atomic
def question_add(*, actor, survey: Survey, page: Page, data: dict) -> Question:
    """Secretariat only. Adds a question at the end of a page of the survey, once it can be
    answered: choices need two options or more with distinct values, a scale runs from a lower
    to a higher whole number in at most 11 steps, number bounds are in order, a grid has rows
    and a scale, and a condition points to an earlier single- or multiple-choice question of
    the same survey and to some of its options. The key (the column name in exports) is
    unique in the survey, made of letters, digits, hyphens and underscores, and made from the
    question when none is given."""
    _require_manager(actor)
    Survey.objects.select_for_update().get(pk=survey.pk)
    if page.survey_id != survey.pk:
        raise ValidationError(_("This page belongs to another survey."))
    question = Question(survey=survey, page=page)
    for name in QUESTION_FIELDS:
        if name in data:
            setattr(question, name, data[name])
    question.text = _texts(question.text)
    question.help = _texts(question.help)
    last = page.questions.aggregate(last=Max("position"))["last"]
    question.position = 0 if last is None else last + 1
    errors = _question_errors(question)
    key = str(data.get("key") or "").strip()
    if key:
        if not KEY_PATTERN.match(key):
            errors.setdefault("key", []).append(
                _("A key uses only letters, digits, hyphens and underscores (at most 60).")
            )
        elif survey.questions.filter(key=key).exists():
            errors.setdefault("key", []).append(
                _("Another question of this survey already uses the key “%(key)s”.") % {"key": key}
            )
    if errors:
        raise ValidationError(errors)
    question.key = key or _new_key(survey, question.text)
    question.full_clean()
    question.save()
    audit_record(actor=actor, action="survey.question_add", target=question)
    return question


def _renumber(page: Page, ordered: list[Question]) -> None:
    for position, question in enumerate(ordered):
        if question.position != position or question.page_id != page.pk:
            question.position = position
            question.page = page
            question.save(update_fields=["position", "page"])


@transaction.atomic
def question_move(
    *, actor, question: Question, position: int | None = None, page: Page | None = None
) -> Question:
    """Secretariat only. Moves a question to `position` (from 0) on `page` (by default its own
    page, at the end), renumbering both pages. A question never moves before the question its
    condition depends on, nor after one that depends on it."""
    _require_manager(actor)
    Survey.objects.select_for_update().get(pk=question.survey_id)
    question = Question.objects.select_related("page").get(pk=question.pk)
    source = question.page
    target = page or source
    if target.survey_id != question.survey_id:
        raise ValidationError(_("This page belongs to another survey."))
    others = list(target.questions.exclude(pk=question.pk).order_by("position", "id"))
    index = len(others) if position is None else max(0, min(int(position), len(others)))
    others.insert(index, question)
    _renumber(target, others)
    if source.pk != target.pk:
        _renumber(source, list(source.questions.order_by("position", "id")))
    question.refresh_from_db()
    ordering = {
        q.pk: _order(q)
        for q in Question.objects.filter(survey_id=question.survey_id).select_related("page")
    }
    conditions = Question.objects.filter(
        survey_id=question.survey_id, condition_question__isnull=False
    ).values_list("pk", "condition_question_id")
    if any(ordering[dependent] <= ordering[source] for dependent, source in conditions):
        raise ValidationError(
            _(
                "A question must stay after the question its condition depends on. Move or "
                "change the condition first."
            )
        )
    audit_record(
        actor=actor,
        action="survey.question_move",
        target=question,
        changes={"page": target.position, "position": question.position},
    )
    return question


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    """Secretariat only. A question that has answers, or that other questions depend on, is
    kept: deleting it would lose answers or silently show the questions that depend on it."""
    _require_manager(actor)
    Survey.objects.select_for_update().get(pk=question.survey_id)
    question = Question.objects.select_related("page").get(pk=question.pk)
    if question.answers.exists():
        raise ValidationError(_("This question already has answers: it cannot be deleted."))
    if question.dependents.exists():
        raise ValidationError(
            _("Other questions depend on this one: remove their condition first.")
        )
    page = question.page
    audit_record(actor=actor, action="survey.question_delete", target=question)
    question.delete()
    _renumber(page, list(page.questions.order_by("position", "id")))


# ---------------------------------------------------------------------------------------------
# Invitations and reminders.


def _survey_url(survey: Survey) -> str:
    # The answering pages may be mounted later than the builder; a notification without a
    # link is better than no notification.
    try:
        return survey.get_absolute_url()
    except NoReverseMatch:
        return ""


def _utc(moment: datetime.datetime) -> str:
    return timezone.localtime(moment, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _notify_in_languages(*, survey: Survey, people, kind: str) -> None:
    """One notification per person, with the survey's title in the person's language."""
    by_language: dict[str, list] = {}
    for person in people:
        by_language.setdefault(person.language, []).append(person)
    for language, group in by_language.items():
        notify(
            recipients=group,
            kind=kind,
            context={
                "survey": in_language(survey.title, language),
                "opens": _utc(survey.opens_at),
                "closes": _utc(survey.closes_at),
            },
            url=_survey_url(survey),
        )


def _mark_once(survey: Survey, people, kind: str) -> list:
    """Record `kind` for the people who do not have it yet; returns them."""
    done = set(
        SurveyInvitation.objects.filter(survey=survey, kind=kind).values_list("user_id", flat=True)
    )
    fresh = [person for person in people if person.pk not in done]
    SurveyInvitation.objects.bulk_create(
        SurveyInvitation(survey=survey, user=person, kind=kind) for person in fresh
    )
    return fresh


@transaction.atomic
def survey_invite(*, actor, survey: Survey) -> int:
    """Secretariat only, once the survey is published. Invites every person of the audience in
    their own language, once: a second run invites only people who joined the audience since.
    Surveys open to anyone with the link invite nobody (the link is shared by other means).
    Returns the number of people invited."""
    _require_manager(actor)
    current = Survey.objects.select_for_update().get(pk=survey.pk)
    if not current.published:
        raise ValidationError(_("Publish the survey before inviting people."))
    if current.audience == Audience.PUBLIC:
        return 0
    invited = _mark_once(current, list(audience_people(current)), SurveyInvitation.INVITATION)
    _notify_in_languages(survey=current, people=invited, kind="survey_invitation")
    audit_record(
        actor=actor, action="survey.invite", target=current, changes={"invited": len(invited)}
    )
    return len(invited)


REMIND_BEFORE = datetime.timedelta(days=3)


def _submitted_keys(survey: Survey) -> set[str]:
    return set(
        survey.responses.filter(status=ResponseStatus.SUBMITTED).values_list(
            "uniqueness_key", flat=True
        )
    )


def _has_answered(survey: Survey, person, submitted: set[str]) -> bool:
    """Computed from the same key that keeps responses unique: for anonymous surveys a keyed
    hash, so nothing about who answered is read or stored."""
    if survey.one_per == OnePer.ORGANIZATION:
        organization = primary_organization(person)
        if organization is None:
            return False
        return uniqueness_key(survey, organization=organization) in submitted
    return uniqueness_key(survey, user=person) in submitted


def survey_reminders_send(*, now=None) -> int:
    """Once, for published surveys closing within three days: remind the people of the
    audience who have not submitted an answer. For anonymous surveys every person of the
    audience is marked as handled, answered or not, so the stored rows do not tell who
    answered. Returns the number of people reminded."""
    now = now or timezone.now()
    surveys = Survey.objects.filter(
        published=True, opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + REMIND_BEFORE
    ).exclude(audience=Audience.PUBLIC)
    sent = 0
    for survey in surveys:
        with transaction.atomic():
            current = Survey.objects.select_for_update().get(pk=survey.pk)
            submitted = _submitted_keys(current)
            people = list(audience_people(current))
            if current.anonymous:
                handled = _mark_once(current, people, SurveyInvitation.REMINDER)
                to_remind = [p for p in handled if not _has_answered(current, p, submitted)]
            else:
                waiting = [p for p in people if not _has_answered(current, p, submitted)]
                to_remind = _mark_once(current, waiting, SurveyInvitation.REMINDER)
            _notify_in_languages(survey=current, people=to_remind, kind="survey_reminder")
            sent += len(to_remind)
    return sent


# ---------------------------------------------------------------------------------------------
# Ready-made surveys.


def _l(en: str, fr: str, es: str) -> dict:
    return {"en": en, "fr": fr, "es": es}


EVENT_FEEDBACK_INTRODUCTION = _l(
    "Thank you for taking part. This short survey is anonymous and takes two minutes; your "
    "answers shape the next sessions.",
    "Merci de votre participation. Ce court questionnaire est anonyme et prend deux minutes ; "
    "vos réponses orientent les prochaines sessions.",
    "Gracias por participar. Esta breve encuesta es anónima y lleva dos minutos; sus "
    "respuestas orientan las próximas sesiones.",
)
EVENT_FEEDBACK_QUESTIONS = [
    {
        "key": "satisfaction",
        "kind": QuestionKind.SCALE,
        "required": True,
        "text": _l(
            "Overall, how satisfied are you with the event?",
            "Dans l’ensemble, êtes-vous satisfait·e de l’événement ?",
            "En general, ¿qué tan satisfecho/a está con el evento?",
        ),
        "scale_min": 1,
        "scale_max": 5,
        "scale_labels": {
            "1": _l("Very dissatisfied", "Très insatisfait·e", "Muy insatisfecho/a"),
            "2": _l("Dissatisfied", "Insatisfait·e", "Insatisfecho/a"),
            "3": _l("Neutral", "Neutre", "Neutral"),
            "4": _l("Satisfied", "Satisfait·e", "Satisfecho/a"),
            "5": _l("Very satisfied", "Très satisfait·e", "Muy satisfecho/a"),
        },
    },
    {
        "key": "most_useful",
        "kind": QuestionKind.LONG_TEXT,
        "text": _l(
            "What was most useful to you?",
            "Qu’est-ce qui vous a été le plus utile ?",
            "¿Qué le resultó más útil?",
        ),
    },
    {
        "key": "to_change",
        "kind": QuestionKind.LONG_TEXT,
        "text": _l(
            "What should we change next time?",
            "Que devrions-nous changer la prochaine fois ?",
            "¿Qué deberíamos cambiar la próxima vez?",
        ),
    },
    {
        "key": "next_steps",
        "kind": QuestionKind.MULTIPLE,
        "text": _l(
            "Which next steps would you join?",
            "À quelles prochaines étapes participeriez-vous ?",
            "¿En qué próximos pasos participaría?",
        ),
        "options": [
            {
                "value": "working_group",
                "label": _l("A working group", "Un groupe de travail", "Un grupo de trabajo"),
            },
            {
                "value": "peer_exchange",
                "label": _l(
                    "A peer exchange", "Un échange entre pairs", "Un intercambio entre pares"
                ),
            },
            {"value": "campaign", "label": _l("A campaign", "Une campagne", "Una campaña")},
            {"value": "training", "label": _l("A training", "Une formation", "Una formación")},
            {
                "value": "none",
                "label": _l("None for now", "Aucune pour l’instant", "Ninguno por ahora"),
            },
        ],
    },
]
SURVEY_TEMPLATES = {"event_feedback": (EVENT_FEEDBACK_INTRODUCTION, EVENT_FEEDBACK_QUESTIONS)}


@transaction.atomic
def survey_from_template(
    *,
    actor,
    template: str = "event_feedback",
    title: str | dict,
    people,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
) -> Survey:
    """Secretariat only (the events module calls it for its participants). A ready survey with
    the template's standard questions in English, French and Spanish, for the given people,
    anonymous, answers editable until closing. It starts unpublished, like any survey."""
    if template not in SURVEY_TEMPLATES:
        raise ValidationError(_("Unknown survey template."))
    introduction, questions = SURVEY_TEMPLATES[template]
    titles = title if isinstance(title, dict) else dict.fromkeys(LANGUAGE_CODES, title)
    survey = survey_create(
        actor=actor,
        data={
            "title": titles,
            "introduction": introduction,
            "languages": list(LANGUAGE_CODES),
            "audience": Audience.PEOPLE,
            "audience_people": list(people),
            "opens_at": opens_at,
            "closes_at": closes_at,
            "anonymous": True,
            "one_per": OnePer.PERSON,
            "editable_until_close": True,
            "results_public": False,
            "template": template,
        },
    )
    page = page_add(actor=actor, survey=survey)
    for spec in questions:
        question_add(actor=actor, survey=survey, page=page, data=dict(spec))
    return survey
