"""Every write on surveys and responses."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from local4action.accounts.choices import MembershipStatus
from local4action.core.services import audit_record

from . import answers, permissions
from .choices import OnePer, ResponseStatus
from .identity import uniqueness_key
from .models import Answer, AnswerItem, Page, Question, Response, Survey


def _organization_of(user):
    if user is None or not user.is_authenticated:
        return None
    membership = (
        user.memberships.filter(status=MembershipStatus.ACTIVE)
        .select_related("organization")
        .order_by("created_at")
        .first()
    )
    return membership.organization if membership else None


@transaction.atomic
def response_start(*, survey: Survey, user=None, token=None, now=None) -> Response:
    """Open (or resume) the respondent's response: only while the survey is open, only for
    its audience, and only one per person or per organization."""
    if not survey.is_open(now):
        raise ValidationError(_("This survey is not open."))
    if not permissions.in_audience(user, survey):
        raise PermissionDenied
    organization = _organization_of(user)
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
    current.full_clean()
    current.save()
    audit_record(actor=actor, action="survey.question_update", target=current)
    return current
