"""Building surveys (secretariat): the list, the survey's settings, its pages and questions,
publishing and inviting. Every write calls a service; these views only parse forms."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from local4action.accounts.choices import OrganizationKind
from local4action.core import actions
from local4action.core.models import RegionalSection
from local4action.core.once import once

from . import permissions, services
from .choices import CHOICE_KINDS, Audience, OnePer, QuestionKind, ResponseStatus
from .models import Page, Question, Survey

LANGUAGES = [code for code, _name in settings.LANGUAGES]
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _require_staff(request) -> None:
    if not permissions.can_manage_surveys(request.user):
        raise PermissionDenied


def _survey(request, slug) -> Survey:
    _require_staff(request)
    return get_object_or_404(Survey, slug=slug)


def _structure(survey):
    return redirect("surveys:structure", slug=survey.slug)


def _errors_to_form(form, error: ValidationError, names: dict[str, str] | None = None) -> None:
    """Put a service's messages next to the fields they are about."""
    names = names or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = names.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _per_language(form, name, label, *, widget=None, required=False, max_length=None):
    for code, language in settings.LANGUAGES:
        form.fields[f"{name}_{code}"] = forms.CharField(
            label=f"{label} ({language})",
            required=required,
            max_length=max_length,
            widget=widget,
        )


def _texts_of(cleaned, name) -> dict:
    return {code: cleaned[f"{name}_{code}"] for code in LANGUAGES if cleaned.get(f"{name}_{code}")}


def _people_field():
    return forms.ModelMultipleChoiceField(
        label=gettext_lazy("People"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("name", "email"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class SurveyForm(forms.Form):
    """The survey's settings; its texts have one field per interface language."""

    def __init__(self, *args, survey: Survey | None = None, **kwargs):
        if survey is not None:
            initial = {
                "languages": survey.languages,
                "audience": survey.audience,
                "audience_kinds": survey.audience_kinds,
                "audience_sections": list(survey.audience_sections.all()),
                "audience_people": list(survey.audience_people.all()),
                "opens_at": survey.opens_at,
                "closes_at": survey.closes_at,
                "anonymous": survey.anonymous,
                "one_per": survey.one_per,
                "editable_until_close": survey.editable_until_close,
                "results_public": survey.results_public,
            }
            for code in LANGUAGES:
                initial[f"title_{code}"] = survey.title.get(code, "")
                initial[f"introduction_{code}"] = survey.introduction.get(code, "")
            kwargs.setdefault("initial", initial)
        else:
            kwargs.setdefault(
                "initial",
                {"languages": LANGUAGES, "editable_until_close": True, "one_per": OnePer.PERSON},
            )
        super().__init__(*args, **kwargs)
        _per_language(self, "title", _("Title"), max_length=200)
        _per_language(
            self, "introduction", _("Introduction"), widget=forms.Textarea(attrs={"rows": 3})
        )
        self.fields["languages"] = forms.MultipleChoiceField(
            label=_("Languages of the survey"),
            choices=settings.LANGUAGES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["audience"] = forms.ChoiceField(
            label=_("Who may answer"), choices=Audience.choices, widget=forms.RadioSelect
        )
        self.fields["audience_kinds"] = forms.MultipleChoiceField(
            label=_("Kinds of organization (when the audience is by kind)"),
            choices=OrganizationKind.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["audience_sections"] = forms.ModelMultipleChoiceField(
            label=_("Regional sections (when the audience is by section)"),
            queryset=RegionalSection.objects.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["audience_people"] = _people_field()
        self.fields["audience_people"].label = _("People (when the audience is a list)")
        self.fields["opens_at"] = _datetime_field(_("Opens"))
        self.fields["closes_at"] = _datetime_field(_("Closes"))
        self.fields["one_per"] = forms.ChoiceField(
            label=_("Answers"), choices=OnePer.choices, widget=forms.RadioSelect
        )
        self.fields["anonymous"] = forms.BooleanField(label=_("Anonymous"), required=False)
        self.fields["editable_until_close"] = forms.BooleanField(
            label=_("Answers can be changed until closing"), required=False
        )
        self.fields["results_public"] = forms.BooleanField(
            label=_("Results are public"), required=False
        )

    def data_for_service(self) -> dict:
        cleaned = self.cleaned_data
        data = {
            "title": _texts_of(cleaned, "title"),
            "introduction": _texts_of(cleaned, "introduction"),
        }
        for name in (
            "languages",
            "audience",
            "audience_kinds",
            "audience_sections",
            "audience_people",
            "opens_at",
            "closes_at",
            "anonymous",
            "one_per",
            "editable_until_close",
            "results_public",
        ):
            data[name] = cleaned[name]
        return data


SURVEY_FIELD_NAMES = {"title": "title_en", "introduction": "introduction_en"}


def parse_options(text: str, languages: list[str]) -> list[dict]:
    """One option a line: "value|label" or just "label" (its value made from it). More labels
    after the first, separated by "|", are the survey's other languages in order."""
    options = []
    for n, line in enumerate((text or "").splitlines(), 1):
        parts = [part.strip() for part in line.split("|")]
        if not any(parts):
            continue
        if len(parts) == 1:
            value = slugify(parts[0]).replace("-", "_") or str(n)
            labels = parts
        else:
            value, labels = parts[0], parts[1:]
        label = {lang: text for lang, text in zip(languages, labels, strict=False) if text}
        options.append({"value": value, "label": label or {languages[0]: value}})
    return options


def options_text(options: list[dict], languages: list[str]) -> str:
    lines = []
    for option in options:
        labels = [option["label"].get(lang, "") for lang in languages]
        while labels and not labels[-1]:
            labels.pop()
        lines.append("|".join([str(option["value"]), *labels]))
    return "\n".join(lines)


class QuestionForm(forms.Form):
    """The fields that matter for one kind of question, in plain text: options one a line."""

    def __init__(self, *args, survey: Survey, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey, self.kind = survey, kind
        self.languages = survey.languages or LANGUAGES
        self.fields["page"] = forms.ModelChoiceField(
            label=_("Page"), queryset=survey.pages.all(), empty_label=None
        )
        _per_language(self, "text", _("Question"), widget=forms.Textarea(attrs={"rows": 2}))
        _per_language(self, "help", _("Help"), max_length=500)
        self.fields["required"] = forms.BooleanField(label=_("Required"), required=False)
        self.fields["key"] = forms.CharField(
            label=_("Key (the column name in exports)"),
            required=False,
            max_length=60,
            help_text=_(
                "Letters, digits, hyphens and underscores; made from the question if empty."
            ),
        )
        line_help = _(
            "One a line: “value|label”, or just the label. Labels in other languages can follow: "
            "“value|label|label”, in the order of the survey's languages (%(languages)s)."
        ) % {"languages": ", ".join(self.languages)}
        if kind in CHOICE_KINDS:
            self.fields["options"] = forms.CharField(
                label=_("Options"), widget=forms.Textarea(attrs={"rows": 5}), help_text=line_help
            )
            if kind != QuestionKind.RANKING:
                self.fields["allow_other"] = forms.BooleanField(
                    label=_("Offer “other, please say”"), required=False
                )
            if kind == QuestionKind.MULTIPLE:
                self.fields["max_choices"] = forms.IntegerField(
                    label=_("At most (choices)"), required=False, min_value=1
                )
        if kind == QuestionKind.MATRIX:
            self.fields["rows"] = forms.CharField(
                label=_("Rows"), widget=forms.Textarea(attrs={"rows": 5}), help_text=line_help
            )
        if kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
            self.fields["scale_min"] = forms.IntegerField(label=_("Scale from"), initial=1)
            self.fields["scale_max"] = forms.IntegerField(label=_("Scale to"), initial=5)
            self.fields["scale_labels"] = forms.CharField(
                label=_("Labels of the scale"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One a line: “value|label”, for example “1|Poor”."),
            )
        if kind == QuestionKind.NUMBER:
            self.fields["number_min"] = forms.DecimalField(label=_("Lowest"), required=False)
            self.fields["number_max"] = forms.DecimalField(label=_("Highest"), required=False)
        self.fields["condition_question"] = forms.ModelChoiceField(
            label=_("Show only when this question…"),
            queryset=survey.questions.filter(
                kind__in=[QuestionKind.SINGLE, QuestionKind.MULTIPLE]
            ).order_by("page__position", "position"),
            required=False,
        )
        self.fields["condition_values"] = forms.CharField(
            label=_("…has one of these answers (values, separated by commas)"), required=False
        )

    def data_for_service(self) -> dict:
        cleaned = self.cleaned_data
        data = {
            "kind": self.kind,
            "text": _texts_of(cleaned, "text"),
            "help": _texts_of(cleaned, "help"),
            "required": cleaned["required"],
            "key": cleaned["key"],
            "condition_question": cleaned["condition_question"],
            "condition_values": [
                v.strip() for v in (cleaned["condition_values"] or "").split(",") if v.strip()
            ],
        }
        for name in ("options", "rows"):
            if name in cleaned:
                data[name] = parse_options(cleaned[name], self.languages)
        if "scale_labels" in cleaned:
            data["scale_labels"] = {
                o["value"]: o["label"]
                for o in parse_options(cleaned["scale_labels"], self.languages)
            }
        for name in ("allow_other", "max_choices", "scale_min", "scale_max"):
            if name in cleaned:
                data[name] = cleaned[name]
        for name in ("number_min", "number_max"):
            if name in cleaned:
                data[name] = cleaned[name]
        return data


class WordingForm(forms.Form):
    """What can change at any time: the wording, the help and whether an answer is required."""

    def __init__(self, *args, question: Question, **kwargs):
        initial = {"required": question.required}
        for code in LANGUAGES:
            initial[f"text_{code}"] = question.text.get(code, "")
            initial[f"help_{code}"] = question.help.get(code, "")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        _per_language(self, "text", _("Question"), widget=forms.Textarea(attrs={"rows": 2}))
        _per_language(self, "help", _("Help"), max_length=500)
        self.fields["required"] = forms.BooleanField(label=_("Required"), required=False)

    def data_for_service(self) -> dict:
        cleaned = self.cleaned_data
        text = _texts_of(cleaned, "text")
        if not text:
            raise ValidationError({"text": [_("Write the question.")]})
        return {"text": text, "help": _texts_of(cleaned, "help"), "required": cleaned["required"]}


class EventFeedbackForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Event"), max_length=200)
    people = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Participants"), queryset=get_user_model().objects.none(), required=False
    )
    emails = forms.CharField(
        label=gettext_lazy("…or their email addresses, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"] = _people_field()
        self.fields["people"].label = _("Participants")
        self.fields["opens_at"] = _datetime_field(_("Opens"))
        self.fields["closes_at"] = _datetime_field(_("Closes"))

    def clean(self):
        cleaned = super().clean()
        people = list(cleaned.get("people") or [])
        emails = {line.strip().lower() for line in (cleaned.get("emails") or "").split() if line}
        if emails:
            found = list(
                get_user_model().objects.filter(_email_in(emails), is_active=True).distinct()
            )
            known = {user.email.lower() for user in found}
            unknown = sorted(emails - known)
            if unknown:
                self.add_error(
                    "emails",
                    _("No account uses these addresses: %(emails)s")
                    % {"emails": ", ".join(unknown)},
                )
            people += found
        if not people and not self.errors:
            self.add_error("people", _("Choose at least one person."))
        cleaned["participants"] = list({person.pk: person for person in people}.values())
        return cleaned


def _email_in(emails) -> Q:
    query = Q(pk__in=[])
    for email in emails:
        query |= Q(email__iexact=email)
    return query


# --- Pages ----------------------------------------------------------------------------------


@login_required
def manage(request):
    _require_staff(request)
    surveys = Survey.objects.annotate(
        question_count=Count("questions", distinct=True),
        response_count=Count(
            "responses", filter=Q(responses__status=ResponseStatus.SUBMITTED), distinct=True
        ),
    ).order_by("-opens_at")
    return render(request, "surveys/builder/list.html", {"surveys": surveys})


def _survey_form_page(request, *, survey: Survey | None):
    form = SurveyForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            if survey is None:
                survey = services.survey_create(actor=request.user, data=form.data_for_service())
                services.page_add(actor=request.user, survey=survey)
            else:
                survey = services.survey_update(
                    actor=request.user, survey=survey, data=form.data_for_service()
                )
        except ValidationError as error:
            _errors_to_form(form, error, SURVEY_FIELD_NAMES)
        else:
            messages.success(request, _("The survey has been saved."))
            return _structure(survey)
    return render(
        request,
        "surveys/builder/survey_form.html",
        {
            "form": form,
            "survey": survey,
            "title": _("Edit the survey") if survey else _("New survey"),
        },
    )


@login_required
@once
def create(request):
    _require_staff(request)
    return _survey_form_page(request, survey=None)


@login_required
def edit(request, slug):
    return _survey_form_page(request, survey=_survey(request, slug))


@login_required
def structure(request, slug):
    survey = _survey(request, slug)
    pages = survey.pages.prefetch_related("questions")
    return render(
        request,
        "surveys/builder/structure.html",
        {
            "survey": survey,
            "pages": pages,
            "kinds": QuestionKind.choices,
            "has_responses": survey.responses.exists(),
        },
    )


@login_required
@require_POST
def page_add(request, slug):
    survey = _survey(request, slug)
    actions.run(
        request,
        lambda: services.page_add(actor=request.user, survey=survey),
        _("A page has been added."),
    )
    return _structure(survey)


@login_required
def question_add(request, slug):
    survey = _survey(request, slug)
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in QuestionKind.values:
        messages.error(request, _("Choose a kind of question."))
        return _structure(survey)
    if not survey.pages.exists():
        messages.error(request, _("Add a page first."))
        return _structure(survey)
    form = QuestionForm(
        request.POST or None,
        survey=survey,
        kind=kind,
        initial={"page": request.GET.get("page") or survey.pages.last()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(
                actor=request.user,
                survey=survey,
                page=form.cleaned_data["page"],
                data=form.data_for_service(),
            )
        except ValidationError as error:
            _errors_to_form(
                form,
                error,
                {"text": "text_en", "help": "help_en", "number_max": "number_max"},
            )
        else:
            messages.success(request, _("The question has been added."))
            return _structure(survey)
    return render(
        request,
        "surveys/builder/question_form.html",
        {
            "form": form,
            "survey": survey,
            "kind": kind,
            "title": _("New question: %(kind)s") % {"kind": QuestionKind(kind).label},
        },
    )


def _question(request, pk) -> Question:
    _require_staff(request)
    return get_object_or_404(Question.objects.select_related("survey", "page"), pk=pk)


@login_required
def question_edit(request, pk):
    question = _question(request, pk)
    form = WordingForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                actor=request.user, question=question, data=form.data_for_service()
            )
        except ValidationError as error:
            _errors_to_form(form, error, {"text": "text_en", "help": "help_en"})
        else:
            messages.success(request, _("The question has been saved."))
            return _structure(question.survey)
    return render(
        request,
        "surveys/builder/question_form.html",
        {
            "form": form,
            "survey": question.survey,
            "question": question,
            "title": _("Edit the question"),
        },
    )


@login_required
@require_POST
def question_delete(request, pk):
    question = _question(request, pk)
    actions.run(
        request,
        lambda: services.question_delete(actor=request.user, question=question),
        _("The question has been deleted."),
    )
    return _structure(question.survey)


def _neighbour_move(question: Question, direction: str) -> dict | None:
    """Where "up" or "down" takes a question: one step within its page, or across to the end
    of the previous page (the start of the next one) from the edge of a page."""
    siblings = list(question.page.questions.order_by("position", "id").values_list("pk", flat=True))
    index = siblings.index(question.pk)
    pages = list(question.survey.pages.order_by("position"))
    page_index = [p.pk for p in pages].index(question.page_id)
    if direction == "up":
        if index > 0:
            return {"position": index - 1}
        if page_index > 0:
            return {"page": pages[page_index - 1], "position": None}
    elif direction == "down":
        if index < len(siblings) - 1:
            return {"position": index + 1}
        if page_index < len(pages) - 1:
            return {"page": pages[page_index + 1], "position": 0}
    return None


@login_required
@require_POST
def question_move(request, pk):
    """The no-JavaScript way to reorder: "Move up" and "Move down" buttons."""
    question = _question(request, pk)
    target = _neighbour_move(question, request.POST.get("direction", ""))
    if target is not None:
        try:
            services.question_move(actor=request.user, question=question, **target)
        except ValidationError as error:
            actions.show_errors(request, error)
    response = _structure(question.survey)
    response["Location"] += f"#question-{question.pk}"
    return response


@login_required
@require_POST
def reorder(request, slug):
    """The drag-and-drop way (static/js/sortable.js): {"question": id, "page": id,
    "position": n} as JSON; answers the new order of every page."""
    survey = _survey(request, slug)
    try:
        payload = json.loads(request.body or b"{}")
        question = get_object_or_404(Question, pk=int(payload["question"]), survey=survey)
        page = get_object_or_404(
            Page, pk=int(payload.get("page") or question.page_id), survey=survey
        )
        position = int(payload["position"])
    except (ValueError, KeyError, TypeError, OverflowError):  # 1e400 in JSON is infinity
        return JsonResponse(
            {"ok": False, "errors": [_("The new order could not be read.")]}, status=400
        )
    try:
        services.question_move(actor=request.user, question=question, page=page, position=position)
    except ValidationError as error:
        return JsonResponse({"ok": False, "errors": error.messages}, status=400)
    order = {
        str(p.pk): list(p.questions.order_by("position", "id").values_list("pk", flat=True))
        for p in survey.pages.all()
    }
    return JsonResponse({"ok": True, "order": order})


@login_required
@require_POST
def publish(request, slug):
    survey = _survey(request, slug)
    actions.run(
        request,
        lambda: services.survey_publish(actor=request.user, survey=survey),
        _("The survey is published."),
    )
    return _structure(survey)


@login_required
@require_POST
def invite(request, slug):
    survey = _survey(request, slug)
    try:
        count = services.survey_invite(actor=request.user, survey=survey)
    except ValidationError as error:
        actions.show_errors(request, error)
    else:
        if survey.audience == Audience.PUBLIC:
            messages.info(
                request, _("Anyone with the link may answer: share the link, nobody is invited.")
            )
        else:
            messages.success(request, _("%(count)s people invited.") % {"count": count})
    return _structure(survey)


@login_required
def event_feedback(request):
    _require_staff(request)
    form = EventFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_from_template(
                actor=request.user,
                template="event_feedback",
                title=form.cleaned_data["title"],
                people=form.cleaned_data["participants"],
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
            )
        except ValidationError as error:
            _errors_to_form(form, error, {"audience_people": "people", "title": "title"})
        else:
            messages.success(request, _("The feedback survey is ready: check it, then publish."))
            return _structure(survey)
    return render(
        request,
        "surveys/builder/survey_form.html",
        {"form": form, "title": _("New event feedback survey"), "survey": None},
    )
