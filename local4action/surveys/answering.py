"""The respondent's side: open surveys, a survey's front page, one page of questions at a time
(each page saved when the respondent moves on, so nothing is lost if the connection drops), and
a confirmation with a copy of the answers. Plain forms and redirects: no JavaScript needed."""

import functools
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from local4action.accounts.selectors import primary_organization
from local4action.core import actions
from local4action.core.models import Goal

from . import answers, selectors, services
from .choices import Audience, OnePer, QuestionKind, ResponseStatus
from .forms import PageForm, display_value, text_of
from .models import Survey

COOKIE_AGE = 180 * 24 * 3600
COOKIE_SALT = "local4action.surveys.token"


class OutsideAudience(Exception):
    def __init__(self, survey: Survey):
        super().__init__(survey.slug)
        self.survey = survey


def _survey(request, slug: str) -> Survey:
    """The survey with its pages and questions; a published survey the person may not answer
    gets a page that says so (403) rather than a bare "not found"."""
    try:
        return selectors.survey_get(user=request.user, slug=slug)
    except Http404:
        survey = Survey.objects.filter(slug=slug, published=True).first()
        if survey is None:
            raise
        raise OutsideAudience(survey) from None


def _not_allowed(request, survey: Survey, reason: str = ""):
    return render(
        request,
        "surveys/not_allowed.html",
        {"survey": survey, "reason": reason, "audience": Audience(survey.audience).label},
        status=403,
    )


def answering(view):
    """Turn "not for you" into a friendly 403 page instead of the generic one."""

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        try:
            return view(request, slug, *args, **kwargs)
        except OutsideAudience as refused:
            return _not_allowed(request, refused.survey)
        except PermissionDenied:
            survey = Survey.objects.filter(slug=slug).first()
            if survey is None:
                raise
            reason = ""
            if survey.one_per == OnePer.ORGANIZATION:
                reason = _(
                    "This survey takes one answer per organization: you need to be an active "
                    "member of an organization to answer it."
                )
            return _not_allowed(request, survey, reason)

    return wrapper


# Who is answering ------------------------------------------------------------------------------


def _cookie_name(survey: Survey) -> str:
    return f"l4a_survey_{survey.pk}"


def _token(request, survey: Survey) -> uuid.UUID | None:
    """Anonymous visitors of a public survey are known by a token kept in a signed cookie."""
    if request.user.is_authenticated or survey.audience != Audience.PUBLIC:
        return None
    value = request.get_signed_cookie(
        _cookie_name(survey), default=None, salt=COOKIE_SALT, max_age=COOKIE_AGE
    )
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _user(request):
    return request.user if request.user.is_authenticated else None


def _own_response(request, survey: Survey):
    user = _user(request)
    organization = None
    if user is not None and survey.one_per == OnePer.ORGANIZATION:
        organization = primary_organization(user)
        if organization is None:
            return None
    return selectors.response_for(
        survey=survey, user=user, organization=organization, token=_token(request, survey)
    )


# Pages and conditions ----------------------------------------------------------------------------


def _saved(response) -> dict[int, object]:
    return dict(response.answers.values_list("question_id", "value"))


def _visible_questions(questions, given: dict) -> list:
    """In order, so that a condition on an earlier question of the same page applies."""
    return [q for q in questions if answers.is_visible(q, given)]


def _visible_positions(pages, given: dict) -> list[int]:
    """Pages with at least one question to show; the others are skipped."""
    return [p.position for p in pages if _visible_questions(p.questions.all(), given)]


def _page_url(survey: Survey, number: int):
    return redirect("surveys:page", slug=survey.slug, number=number)


# Views ---------------------------------------------------------------------------------------


def survey_list(request):
    return render(
        request, "surveys/list.html", {"surveys": selectors.surveys_for_user(user=request.user)}
    )


@answering
def survey_detail(request, slug):
    survey = _survey(request, slug)
    if request.method == "POST":
        return _start(request, survey)
    response = _own_response(request, survey)
    submitted = response is not None and response.status == ResponseStatus.SUBMITTED
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "response": response,
            "submitted": submitted,
            "introduction": text_of(survey.introduction),
            "is_open": survey.is_open(),
            "has_closed": survey.closes_at <= timezone.now(),
            "can_change": submitted and survey.editable_until_close and survey.is_open(),
            "first_page": survey.pages.all()[0].position if survey.pages.all() else 0,
        },
    )


def _start(request, survey: Survey):
    """Start or resume; an anonymous visitor of a public survey gets their token here."""
    token = new_token = None
    if _user(request) is None:
        token = _token(request, survey)
        if token is None and survey.audience == Audience.PUBLIC:
            token = new_token = uuid.uuid4()
    try:
        response = services.response_start(survey=survey, user=_user(request), token=token)
    except ValidationError as error:
        actions.show_errors(request, error)
        return redirect(survey)
    number = response.current_page
    if response.status == ResponseStatus.SUBMITTED:
        number = survey.pages.all()[0].position if survey.pages.all() else 0
    reply = _page_url(survey, number)
    if new_token is not None:
        reply.set_signed_cookie(
            _cookie_name(survey),
            str(new_token),
            salt=COOKIE_SALT,
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return reply


@answering
def survey_page(request, slug, number):
    survey = _survey(request, slug)
    user, token = _user(request), _token(request, survey)
    if user is None and token is None:
        messages.info(request, _("Press “Start” to answer this survey."))
        return redirect(survey)
    try:
        response = services.response_start(survey=survey, user=user, token=token)
    except ValidationError as error:
        actions.show_errors(request, error)
        return redirect(survey)
    pages = list(survey.pages.all())
    saved = _saved(response)
    visible = _visible_positions(pages, saved)
    current = next((p for p in pages if p.position == number), None)
    if current is None or current.position not in visible:
        if not visible:
            messages.info(request, _("This survey has no questions for you."))
            return redirect(survey)
        later = [p for p in visible if p > number]
        return _page_url(survey, later[0] if later else visible[-1])

    questions = list(current.questions.all())
    goals = Goal.objects.all() if any(q.kind == QuestionKind.SDG for q in questions) else ()
    form = PageForm(request.POST or None, questions=questions, saved=saved, goals=goals)
    given = saved
    if request.method == "POST":
        shown_before = _visible_questions(questions, saved)
        if form.is_valid():
            data, others = form.answers()
            try:
                services.response_save_page(
                    response=response, page=current, data=data, others=others
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    form.add_question_errors(error.message_dict)
                else:
                    form.add_error(None, error)
            else:
                return _after_save(request, survey, response, pages, current, shown_before)
        # Show what the typed answers make visible, so that an error on a question that just
        # appeared can be seen and fixed.
        given = {**saved, **form.raw_answers()}

    index = visible.index(current.position)
    later = [p for p in visible if p > current.position]
    return render(
        request,
        "surveys/page.html",
        {
            "survey": survey,
            "response": response,
            "page": current,
            "page_title": text_of(current.title),
            "form": form,
            "items": form.items(_visible_questions(questions, given)),
            "previous": visible[index - 1] if index > 0 else None,
            "is_last": not later,
            "index": index + 1,
            "count": len(visible),
        },
    )


def _after_save(request, survey, response, pages, current, shown_before):
    saved = _saved(response)
    appeared = [
        q
        for q in _visible_questions(current.questions.all(), saved)
        if q not in shown_before and q.pk not in saved
    ]
    if appeared:
        messages.info(request, _("Your answers opened more questions on this page."))
        return _page_url(survey, current.position)
    action = request.POST.get("action")
    if action == "later":
        messages.success(
            request,
            _("Your answers are saved. Come back before %(date)s to finish.")
            % {"date": survey.closes_at.date().isoformat()},
        )
        return redirect(survey)
    later = [p for p in _visible_positions(pages, saved) if p > current.position]
    if later:
        return _page_url(survey, later[0])
    if action != "submit":
        messages.info(request, _("This is the last page: check your answers, then submit."))
        return _page_url(survey, current.position)
    try:
        services.response_submit(response=response)
    except ValidationError as error:
        actions.show_errors(request, error)
        missing = [
            page.position
            for page in pages
            for q in page.questions.all()
            if q.required and q.pk not in saved and answers.is_visible(q, saved)
        ]
        return _page_url(survey, missing[0] if missing else current.position)
    messages.success(request, _("Thank you: your answers have been submitted."))
    return redirect("surveys:done", slug=survey.slug)


@answering
def survey_done(request, slug):
    survey = _survey(request, slug)
    response = _own_response(request, survey)
    if response is None:
        return redirect(survey)
    if response.status != ResponseStatus.SUBMITTED:
        messages.info(request, _("Your answers are saved but not submitted yet."))
        return _page_url(survey, response.current_page)
    saved = _saved(response)
    pages = list(survey.pages.all())
    has_goals = any(q.kind == QuestionKind.SDG for p in pages for q in p.questions.all())
    goals = {g.number: g for g in Goal.objects.all()} if has_goals else {}
    sections = []
    for page in pages:
        rows = []
        for question in _visible_questions(page.questions.all(), saved):
            value = display_value(question, saved.get(question.pk), goals)
            rows.append((question, value, value if isinstance(value, list) else None))
        if rows:
            sections.append((page, rows))
    return render(
        request,
        "surveys/done.html",
        {
            "survey": survey,
            "response": response,
            "sections": sections,
            "can_change": survey.editable_until_close and survey.is_open(),
            "first_page": pages[0].position if pages else 0,
        },
    )
