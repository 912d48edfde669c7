"""The respondent's form for one page of a survey: one or more plain HTML inputs per question,
so that every kind of question works without JavaScript. The form only shapes what was typed;
`answers.clean_answer` (called by the services) decides what is valid."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django_countries import countries

from local4action.calls.models import in_language

from .answers import OTHER
from .choices import QuestionKind
from .models import Question

EMPTY = ("", "—")


def text_of(label) -> str:
    """A staff-written label: a {"en": …} dict, or a plain string."""
    if isinstance(label, dict):
        return in_language(label)
    return "" if label is None else str(label)


def option_choices(question: Question) -> list[tuple[str, str]]:
    return [(str(o["value"]), text_of(o.get("label", o["value"]))) for o in question.options]


def scale_choices(question: Question) -> list[tuple[str, str]]:
    """Scale points with their labels ("1 — Poor"), from `scale_labels` or else `options`."""
    by_option = dict(option_choices(question))
    choices = []
    for point in range(question.scale_min or 0, (question.scale_max or 0) + 1):
        label = text_of(question.scale_labels.get(str(point))) or by_option.get(str(point), "")
        choices.append((str(point), f"{point} — {label}" if label else str(point)))
    return choices


def row_choices(question: Question) -> list[tuple[str, str]]:
    return [(str(r["value"]), text_of(r.get("label", r["value"]))) for r in question.rows]


@dataclass
class Item:
    """What the template needs to show one question."""

    question: Question
    name: str
    main: forms.BoundField | None = None
    other: forms.BoundField | None = None
    parts: list[tuple[str, forms.BoundField]] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def help(self) -> str:
        return text_of(self.question.help)

    @property
    def grouped(self) -> bool:
        """Several inputs answer it: a fieldset with the question as its legend."""
        return self.kind in (
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.RANKING,
            QuestionKind.SCALE,
            QuestionKind.MATRIX,
        )


class PageForm(forms.Form):
    """Fields are named after the question's id: `q12`, `q12_other`, `q12_rank1`, `q12_row_a`.
    Anything else posted is ignored."""

    use_required_attribute = False  # the server says what is missing, with a clear message

    def __init__(self, *args, questions: list[Question], saved: dict, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.goals = list(goals)
        self.question_errors: dict[int, list[str]] = {}
        for question in questions:
            self._add_fields(question, saved.get(question.pk))

    # Building ----------------------------------------------------------------------------

    def _add_fields(self, question: Question, value) -> None:
        name = f"q{question.pk}"
        kind = question.kind
        attrs: dict[str, str] = {}
        if kind == QuestionKind.SHORT_TEXT:
            self.fields[name] = forms.CharField(
                required=False, strip=False, widget=forms.TextInput(attrs=attrs)
            )
            self.initial[name] = value
        elif kind == QuestionKind.LONG_TEXT:
            self.fields[name] = forms.CharField(
                required=False, strip=False, widget=forms.Textarea(attrs={**attrs, "rows": 5})
            )
            self.initial[name] = value
        elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            choices = option_choices(question)
            if question.allow_other:
                choices.append((OTHER, _("Other")))
            chosen, other = value, ""
            if isinstance(value, dict):
                chosen = value.get("choice", value.get("choices"))
                other = value.get("other", "")
            if kind == QuestionKind.SINGLE:
                self.fields[name] = forms.ChoiceField(
                    required=False, choices=choices, widget=forms.RadioSelect
                )
            else:
                self.fields[name] = forms.MultipleChoiceField(
                    required=False, choices=choices, widget=forms.CheckboxSelectMultiple
                )
            self.initial[name] = chosen
            if question.allow_other:
                self.fields[f"{name}_other"] = forms.CharField(
                    required=False, max_length=200, label=_("Other, please say")
                )
                self.initial[f"{name}_other"] = other
        elif kind == QuestionKind.RANKING:
            ranked = value if isinstance(value, list) else []
            for rank in range(1, len(question.options) + 1):
                part = f"{name}_rank{rank}"
                self.fields[part] = forms.ChoiceField(
                    required=False,
                    choices=[EMPTY, *option_choices(question)],
                    label=_("Rank %(rank)s") % {"rank": rank},
                )
                self.initial[part] = ranked[rank - 1] if rank <= len(ranked) else ""
        elif kind == QuestionKind.SCALE:
            self.fields[name] = forms.ChoiceField(
                required=False, choices=scale_choices(question), widget=forms.RadioSelect
            )
            self.initial[name] = "" if value is None else str(value)
        elif kind == QuestionKind.NUMBER:
            number_attrs = {**attrs, "step": "any", "inputmode": "decimal"}
            if question.number_min is not None:
                number_attrs["min"] = format(question.number_min.normalize(), "f")
            if question.number_max is not None:
                number_attrs["max"] = format(question.number_max.normalize(), "f")
            # A text field keeps exactly what was typed, even when it is not a number.
            self.fields[name] = forms.CharField(
                required=False, widget=forms.NumberInput(attrs=number_attrs)
            )
            self.initial[name] = value
        elif kind == QuestionKind.DATE:
            self.fields[name] = forms.CharField(
                required=False, widget=forms.DateInput(attrs={**attrs, "type": "date"})
            )
            self.initial[name] = value
        elif kind == QuestionKind.COUNTRY:
            self.fields[name] = forms.ChoiceField(
                required=False,
                choices=[EMPTY, *countries],
                widget=forms.Select(attrs=attrs),
            )
            self.initial[name] = value
        elif kind == QuestionKind.SDG:
            self.fields[name] = forms.ChoiceField(
                required=False,
                choices=[EMPTY, *((str(g.number), str(g)) for g in self.goals)],
                widget=forms.Select(attrs=attrs),
            )
            self.initial[name] = "" if value is None else str(value)
        elif kind == QuestionKind.MATRIX:
            scores = value if isinstance(value, dict) else {}
            for row, _label in row_choices(question):
                part = f"{name}_row_{row}"
                self.fields[part] = forms.ChoiceField(
                    required=False, choices=scale_choices(question), widget=forms.RadioSelect
                )
                self.initial[part] = "" if scores.get(row) is None else str(scores[row])

    # Reading -----------------------------------------------------------------------------

    def answers(self) -> tuple[dict, dict]:
        """(data, others) keyed by question id, as `services.response_save_page` takes them."""
        data, others = {}, {}
        cleaned = self.cleaned_data
        for question in self.questions:
            name = f"q{question.pk}"
            kind = question.kind
            if kind == QuestionKind.RANKING:
                ranked = [
                    cleaned.get(f"{name}_rank{r}") for r in range(1, len(question.options) + 1)
                ]
                data[question.pk] = [v for v in ranked if v]
            elif kind == QuestionKind.MATRIX:
                data[question.pk] = {
                    row: cleaned[f"{name}_row_{row}"]
                    for row, _label in row_choices(question)
                    if cleaned.get(f"{name}_row_{row}")
                }
            else:
                data[question.pk] = cleaned.get(name)
            if question.allow_other and kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                others[question.pk] = cleaned.get(f"{name}_other") or ""
        return data, others

    def raw_answers(self) -> dict:
        """What was posted, before any check: enough to decide which questions show."""
        raw = {}
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.MULTIPLE:
                raw[question.pk] = self.data.getlist(name)
            else:
                raw[question.pk] = self.data.get(name)
        return raw

    def add_question_errors(self, errors: dict[str, list[str]]) -> None:
        """Errors from the services, keyed by question key."""
        by_key = {q.key: q for q in self.questions}
        for key, messages in errors.items():
            question = by_key.get(key)
            if question is None:
                self.add_error(None, messages)
            else:
                self.question_errors.setdefault(question.pk, []).extend(messages)

    # Showing -----------------------------------------------------------------------------

    def items(self, visible: list[Question] | None = None) -> list[Item]:
        shown = self.questions if visible is None else visible
        items = []
        for question in shown:
            name = f"q{question.pk}"
            item = Item(question=question, name=name)
            parts = [n for n in self.fields if n == name or n.startswith(f"{name}_")]
            if name in self.fields:
                item.main = self[name]
            if f"{name}_other" in self.fields:
                item.other = self[f"{name}_other"]
            if question.kind == QuestionKind.RANKING:
                item.parts = [
                    (self.fields[n].label, self[n]) for n in parts if n.startswith(f"{name}_rank")
                ]
            elif question.kind == QuestionKind.MATRIX:
                item.columns = scale_choices(question)
                item.parts = [
                    (label, self[f"{name}_row_{row}"]) for row, label in row_choices(question)
                ]
            if self.is_bound:
                for n in parts:
                    item.errors.extend(self.errors.get(n, []))
            item.errors.extend(self.question_errors.get(question.pk, []))
            if item.main is not None and not item.grouped:
                widget = self.fields[name].widget
                described = [f"{name}-help"] if item.help else []
                if item.errors:
                    described.append(f"{name}-error")
                    widget.attrs["aria-invalid"] = "true"
                if described:
                    widget.attrs["aria-describedby"] = " ".join(described)
            items.append(item)
        return items


def display_value(question: Question, value, goals: dict) -> str | list[str]:
    """An answer as the respondent would read it: option labels, country and goal names."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    kind = question.kind
    labels = dict(option_choices(question))
    if kind == QuestionKind.SINGLE:
        if isinstance(value, dict):
            return f"{_('Other')}: {value.get('other', '')}"
        return labels.get(str(value), str(value))
    if kind == QuestionKind.MULTIPLE:
        other = ""
        if isinstance(value, dict):
            other, value = value.get("other", ""), value.get("choices", [])
        return [
            f"{_('Other')}: {other}" if v == OTHER else labels.get(str(v), str(v)) for v in value
        ]
    if kind == QuestionKind.RANKING:
        return [f"{rank}. {labels.get(str(v), str(v))}" for rank, v in enumerate(value, 1)]
    if kind == QuestionKind.SCALE:
        return dict(scale_choices(question)).get(str(value), str(value))
    if kind == QuestionKind.COUNTRY:
        return str(dict(countries).get(value, value))
    if kind == QuestionKind.SDG:
        goal = goals.get(int(value))
        return str(goal) if goal else str(value)
    if kind == QuestionKind.MATRIX:
        points = dict(scale_choices(question))
        rows = dict(row_choices(question))
        return [f"{rows.get(r, r)}: {points.get(str(s), s)}" for r, s in value.items()]
    return str(value)
