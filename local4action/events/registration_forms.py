"""Forms of the registering side (the questions the organizer picked, sponsorship requests) and
of the organizers' invitation list. They only shape the input: the rules live in services.py."""

import csv
import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from local4action.accounts.choices import MembershipStatus

from .choices import Attendance, Language, Question, RegistrationStatus
from .services import TEXT_MAX

INVITE_FILE_MAX = 1024 * 1024
INVITE_LINES_MAX = 2000


class RegistrationForm(forms.Form):
    """Exactly the questions the event asks, in the order of `Question`."""

    def __init__(self, *args, event, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for key in event.questions:
            field = self._field(key, event, user)
            if field is not None:
                self.fields[key] = field

    @staticmethod
    def _field(key: str, event, user):
        label = Question(key).label if key in Question.values else key
        if key in (Question.ROLE, Question.ORGANIZATION):
            field = forms.CharField(label=label, max_length=TEXT_MAX)
            if key == Question.ROLE:
                field.help_text = gettext_lazy("For example: mayor, city manager, researcher.")
            return field
        if key in (Question.DIETARY, Question.ACCESSIBILITY):
            return forms.CharField(
                label=label,
                max_length=TEXT_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=gettext_lazy("Optional. Only the organizers see it."),
            )
        if key == Question.ATTENDANCE:
            return forms.ChoiceField(
                label=label, choices=Attendance.choices, widget=forms.RadioSelect
            )
        if key == Question.LANGUAGES:
            choices = [(code, Language(code).label) for code in event.languages] or list(
                Language.choices
            )
            return forms.MultipleChoiceField(
                label=label,
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        return None


def initial_answers(event, user) -> dict:
    """Prefill the organization with the person's first active membership."""
    initial = {}
    if Question.ORGANIZATION in event.questions and user.is_authenticated:
        membership = (
            user.memberships.filter(status=MembershipStatus.ACTIVE)
            .select_related("organization")
            .order_by("created_at")
            .first()
        )
        if membership:
            initial[Question.ORGANIZATION] = membership.organization.name
    if Question.ATTENDANCE in event.questions:
        initial[Question.ATTENDANCE] = Attendance.IN_PERSON
    return initial


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Errors a service raised, next to their field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class SponsorshipForm(forms.Form):
    travel = forms.BooleanField(label=gettext_lazy("Travel"), required=False)
    lodging = forms.BooleanField(label=gettext_lazy("Lodging"), required=False)
    justification = forms.CharField(
        label=gettext_lazy("Why do you need this support?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Say what your participation brings and why your organization cannot cover the costs."
        ),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("travel") or data.get("lodging")):
            self.add_error("travel", _("Choose travel, lodging or both."))
        return data


class InviteForm(forms.Form):
    """People to invite: lines "email, name, language" and/or a CSV file with the columns
    email, name, language."""

    lines = forms.CharField(
        label=gettext_lazy("People to invite"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One person per line: email, name, language (en, fr or es). "
            "Name and language are optional."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Or a CSV file"),
        required=False,
        help_text=gettext_lazy(
            "UTF-8 text, at most 1 MB, with a first line naming the columns: email, name, language."
        ),
    )

    def clean_lines(self) -> list[dict]:
        people = []
        for line in (self.cleaned_data.get("lines") or "").splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in next(csv.reader([line]), [])]
            parts += [""] * (3 - len(parts))
            people.append({"email": parts[0], "name": parts[1], "language": parts[2]})
        return people

    def clean_file(self) -> list[dict]:
        upload = self.cleaned_data.get("file")
        if not upload:
            return []
        if upload.size > INVITE_FILE_MAX:
            raise ValidationError(_("The file is larger than 1 MB: split the list."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                _("The file is not UTF-8 text: save it as “CSV UTF-8” and try again.")
            ) from None
        if "\x00" in text:
            raise ValidationError(_("The file is not a CSV text file."))
        reader = csv.DictReader(io.StringIO(text))
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
        if "email" not in header:
            raise ValidationError(
                _("The first line of the file must name the columns: email, name, language.")
            )
        reader.fieldnames = header
        people = []
        try:
            for row in reader:
                if not any(
                    (value or "").strip() for value in row.values() if isinstance(value, str)
                ):
                    continue
                people.append(
                    {
                        "email": (row.get("email") or "").strip(),
                        "name": (row.get("name") or "").strip(),
                        "language": (row.get("language") or "").strip(),
                    }
                )
        except csv.Error:
            raise ValidationError(_("The file is not a valid CSV file.")) from None
        return people

    def clean(self):
        data = super().clean()
        people = (data.get("lines") or []) + (data.get("file") or [])
        if not self.errors and not people:
            raise ValidationError(_("Give at least one email address, or a file."))
        if len(people) > INVITE_LINES_MAX:
            raise ValidationError(
                _("At most %(limit)s people at a time (this list has %(count)s).")
                % {"limit": INVITE_LINES_MAX, "count": len(people)}
            )
        data["people"] = people
        return data


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All"))] + list(RegistrationStatus.choices),
    )
