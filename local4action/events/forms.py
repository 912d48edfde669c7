"""The organizers' forms. Times are typed as wall-clock times in the event's own time zone and
turned into aware datetimes here, before the services see them."""

import datetime
import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from local4action.accounts.choices import OrganizationStatus
from local4action.accounts.models import TIME_ZONE_CHOICES, Organization
from local4action.core.models import Goal
from local4action.core.validators import validate_time_zone
from local4action.initiatives.choices import PUBLIC_STATUSES
from local4action.initiatives.models import Initiative

from .choices import EventKind, Language, Question, SessionKind, Visibility
from .models import Event, Session

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
SPEAKER_ROWS = 6


class LocalDateTimeField(forms.DateTimeField):
    """A `datetime-local` input read as a naive wall-clock time (the form gives it its zone)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)

    def to_python(self, value):
        # Parse without the visitor's own zone (which may skip the typed hour at a DST change).
        with timezone.override(datetime.UTC):
            parsed = super().to_python(value)
        return parsed.replace(tzinfo=None) if parsed else None

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return value.replace(tzinfo=None)
        return value


def local_initial(value: datetime.datetime | None, zone) -> datetime.datetime | None:
    return timezone.localtime(value, zone).replace(tzinfo=None) if value else None


def in_zone(value: datetime.datetime | None, zone) -> datetime.datetime | None:
    """A wall-clock time in the zone as an aware datetime. A time that does not exist (the hour
    skipped when clocks go forward) is refused rather than silently moved."""
    if value is None:
        return None
    aware = value.replace(tzinfo=zone)
    back = aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
    if back != value:
        raise ValidationError(
            _("This time does not exist in %(zone)s (the clocks change): choose another."),
            params={"zone": str(zone)},
        )
    return aware


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal as form errors: each message beside its field, others on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Basic HTML is kept: paragraphs, lists, links, bold and italics."),
    )
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("For a working session inside a seminar week: the seminar."),
    )
    organizers = forms.ModelMultipleChoiceField(
        label=_("Organizers"),
        queryset=Organization.objects.filter(status=OrganizationStatus.APPROVED).order_by("name"),
        required=False,
        help_text=_(
            "Their admins and editors can manage the event. Hold Ctrl (or Cmd) to choose several."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONE_CHOICES,
        initial="Europe/Paris",
        help_text=_("Every date and time of this form is in this time zone."),
    )
    start_at = LocalDateTimeField(label=_("Starts"))
    end_at = LocalDateTimeField(label=_("Ends"))
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    venue = forms.CharField(
        label=_("Venue"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown only to accepted participants."),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to accepted participants."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=Visibility.choices)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    registration_opens_at = LocalDateTimeField(label=_("Registration opens"), required=False)
    registration_closes_at = LocalDateTimeField(
        label=_("Registration closes"),
        required=False,
        help_text=_("Leave empty to close registration when the event starts."),
    )
    approval_required = forms.BooleanField(
        label=_("Organizers accept each registration"), required=False, initial=True
    )
    questions = forms.MultipleChoiceField(
        label=_("Questions asked on registration"),
        choices=Question.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sponsorship_budget = forms.IntegerField(
        label=_("Sponsorships available"),
        min_value=0,
        initial=0,
        help_text=_("How many travel or lodging sponsorships the organizers can grant."),
    )
    initiatives = forms.ModelMultipleChoiceField(
        label=_("HUBs"),
        queryset=Initiative.objects.filter(status__in=PUBLIC_STATUSES).order_by("title"),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        queryset=Goal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    LOCAL_FIELDS = ("start_at", "end_at", "registration_opens_at", "registration_closes_at")

    def __init__(self, *args, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["country"].choices = [("", "—"), *countries]
        parents = Event.objects.filter(parent__isnull=True).order_by("-start_at")
        if event is not None:
            parents = parents.exclude(pk=event.pk)
        self.fields["parent"].queryset = parents
        if event is not None:
            zone = event.zone
            self.initial.update(
                {
                    "title": event.title,
                    "kind": event.kind,
                    "description": event.description,
                    "parent": event.parent_id,
                    "organizers": list(event.organizers.all()),
                    "time_zone": event.time_zone,
                    "city": event.city,
                    "country": event.country,
                    "venue": event.venue,
                    "online_url": event.online_url,
                    "languages": event.languages,
                    "visibility": event.visibility,
                    "capacity": event.capacity,
                    "approval_required": event.approval_required,
                    "questions": event.questions,
                    "sponsorship_budget": event.sponsorship_budget,
                    "initiatives": list(event.initiatives.all()),
                    "goals": list(event.goals.all()),
                    **{
                        name: local_initial(getattr(event, name), zone)
                        for name in self.LOCAL_FIELDS
                    },
                }
            )
        else:
            self.initial.setdefault("languages", ["en", "fr", "es"])

    FIELDSETS = (
        (_("The event"), ("title", "kind", "description", "parent", "organizers")),
        (
            _("When"),
            ("time_zone", "start_at", "end_at"),
        ),
        (_("Where"), ("city", "country", "venue", "online_url", "languages")),
        (
            _("Registration"),
            (
                "visibility",
                "capacity",
                "registration_opens_at",
                "registration_closes_at",
                "approval_required",
                "questions",
                "sponsorship_budget",
            ),
        ),
        (_("Links"), ("initiatives", "goals")),
    )

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"]
        validate_time_zone(name)
        return name

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("time_zone")
        if not name:
            return cleaned
        zone = zoneinfo.ZoneInfo(name)
        for field in self.LOCAL_FIELDS:
            if cleaned.get(field) is not None:
                try:
                    cleaned[field] = in_zone(cleaned[field], zone)
                except ValidationError as error:
                    self.add_error(field, error)
        return cleaned

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("organizers", "initiatives", "goals"):
            data.pop(key, None)
        return data


class SessionForm(forms.Form):
    """An agenda item; up to six speakers, each a platform user (by email) or a name."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    start_at = LocalDateTimeField(label=_("Starts"))
    end_at = LocalDateTimeField(label=_("Ends"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "—"), *Language.choices], required=False
    )
    interpretation = forms.MultipleChoiceField(
        label=_("Interpretation into"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    streamed = forms.BooleanField(label=_("Streamed"), required=False)
    prompt = forms.CharField(
        label=_("Prompt (co-creation sessions)"),
        max_length=300,
        required=False,
        help_text=_(
            "The question participants answer on the board, e.g. “A billboard for your city”."
        ),
    )
    billboards = forms.BooleanField(
        label=_("Ideas are billboard messages"),
        required=False,
        help_text=_("Retained ideas can be downloaded as a billboard picture."),
    )

    def __init__(self, *args, event: Event, session: Session | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for index in range(SPEAKER_ROWS):
            number = index + 1
            self.fields[f"speaker_{index}_email"] = forms.EmailField(
                label=_("Speaker %(number)s: email of their account") % {"number": number},
                required=False,
            )
            self.fields[f"speaker_{index}_name"] = forms.CharField(
                label=_("Speaker %(number)s: or their name") % {"number": number},
                max_length=200,
                required=False,
            )
            self.fields[f"speaker_{index}_organization"] = forms.CharField(
                label=_("Speaker %(number)s: organization") % {"number": number},
                max_length=200,
                required=False,
            )
        if session is not None:
            zone = event.zone
            self.initial.update(
                {
                    "title": session.title,
                    "kind": session.kind,
                    "start_at": local_initial(session.start_at, zone),
                    "end_at": local_initial(session.end_at, zone),
                    "description": session.description,
                    "language": session.language,
                    "interpretation": session.interpretation,
                    "streamed": session.streamed,
                    "prompt": session.prompt,
                    "billboards": session.billboards,
                }
            )
            for index, speaker in enumerate(session.speakers.select_related("user")[:SPEAKER_ROWS]):
                self.initial[f"speaker_{index}_email"] = speaker.user.email if speaker.user else ""
                self.initial[f"speaker_{index}_name"] = speaker.name
                self.initial[f"speaker_{index}_organization"] = speaker.organization
        elif not self.is_bound:
            start = local_initial(event.start_at, event.zone)
            self.initial.update({"start_at": start, "end_at": start + datetime.timedelta(hours=1)})

    def main_fields(self):
        names = ("title", "kind", "start_at", "end_at", "description", "language")
        return [self[name] for name in (*names, "interpretation", "streamed")]

    def board_fields(self):
        return [self["prompt"], self["billboards"]]

    def speaker_rows(self):
        """[(number, email, name, organization)] bound fields, for the template."""
        return [
            (
                index + 1,
                self[f"speaker_{index}_email"],
                self[f"speaker_{index}_name"],
                self[f"speaker_{index}_organization"],
            )
            for index in range(SPEAKER_ROWS)
        ]

    def clean(self):
        cleaned = super().clean()
        zone = self.event.zone
        for field in ("start_at", "end_at"):
            if cleaned.get(field) is not None:
                try:
                    cleaned[field] = in_zone(cleaned[field], zone)
                except ValidationError as error:
                    self.add_error(field, error)
        users = get_user_model().objects
        speakers = []
        for index in range(SPEAKER_ROWS):
            email = cleaned.get(f"speaker_{index}_email") or ""
            name = (cleaned.get(f"speaker_{index}_name") or "").strip()
            organization = (cleaned.get(f"speaker_{index}_organization") or "").strip()
            user = None
            if email:
                user = users.filter(email__iexact=email).first()
                if user is None:
                    self.add_error(
                        f"speaker_{index}_email",
                        _("No account uses this address: type the speaker's name instead."),
                    )
                    continue
            if user is None and not name:
                if organization:
                    self.add_error(
                        f"speaker_{index}_name", _("Give the speaker's name or account email.")
                    )
                continue
            speakers.append({"user": user, "name": name, "organization": organization})
        cleaned["speakers"] = speakers
        return cleaned

    def service_data(self) -> dict:
        fields = (
            "title",
            "kind",
            "start_at",
            "end_at",
            "description",
            "language",
            "interpretation",
            "streamed",
            "prompt",
            "billboards",
            "speakers",
        )
        return {name: self.cleaned_data[name] for name in fields}


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of trends"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Basic HTML is kept: paragraphs, lists, links, bold and italics."),
    )
    guidelines = forms.CharField(
        label=_("Guidelines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("The short guidelines the event produced."),
    )
