import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from local4action.accounts.choices import LRG_KINDS, OrganizationKind
from local4action.accounts.models import TIME_ZONE_CHOICES, Organization
from local4action.core.models import Goal, PolicyArea, Target
from local4action.initiatives.choices import Scale

from .choices import SCORE_MAX, SCORE_MIN, Decision, QuestionKind, Recommendation, Support
from .models import Call
from .services import CALL_FIELDS

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallForm(forms.ModelForm):
    """Dates are typed in the call's own time zone (stored in UTC)."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONE_CHOICES,
        help_text=_("Dates and deadlines below are in this time zone."),
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Eligible organization kinds"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(k.value, k.label) for k in OrganizationKind if k in LRG_KINDS],
    )
    target_countries = forms.CharField(
        label=_("Target countries"),
        required=False,
        help_text=_(
            "Two-letter country codes separated by commas (e.g. BF, ML, NE). Leave "
            "empty to open the call to every country."
        ),
    )
    support_offered = forms.MultipleChoiceField(
        label=_("Support offered beyond the label"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Support.choices,
    )

    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        widgets = {
            "opens_at": DATETIME_WIDGET,
            "eoi_closes_at": DATETIME_WIDGET,
            "closes_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            zone = zoneinfo.ZoneInfo(self.instance.time_zone)
            for name in ("opens_at", "eoi_closes_at", "closes_at"):
                value = getattr(self.instance, name)
                if value:
                    self.initial[name] = timezone.localtime(value, zone).replace(tzinfo=None)
            self.initial["target_countries"] = ", ".join(self.instance.target_countries)

    def clean_target_countries(self):
        codes = [
            c.strip().upper() for c in self.cleaned_data["target_countries"].split(",") if c.strip()
        ]
        unknown = [c for c in codes if c not in dict(countries)]
        if unknown:
            raise forms.ValidationError(
                _("Unknown country codes: %(codes)s"), params={"codes": ", ".join(unknown)}
            )
        return codes

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("time_zone")
        if name:
            zone = zoneinfo.ZoneInfo(name)
            for field in ("opens_at", "eoi_closes_at", "closes_at"):
                value = cleaned.get(field)
                if value:
                    # The browser sends a wall-clock time: read it in the call's time zone.
                    naive = timezone.make_naive(value)
                    cleaned[field] = timezone.make_aware(naive, zone)
        return cleaned


class StartForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    title = forms.CharField(label=_("Title of the initiative"), max_length=200)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class ApplicationForm(forms.Form):
    """The initiative and the answers of the current stage. Nothing is required here: drafts
    are saved as they are; eligibility is checked on submission."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    scale = forms.ChoiceField(label=_("Scale"), choices=[("", "—"), *Scale.choices], required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE_WIDGET)
    website = forms.URLField(label=_("Website"), required=False)
    goals = forms.ModelMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        queryset=Goal.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_codes = forms.CharField(
        label=_("SDG targets"),
        required=False,
        help_text=_("Target codes separated by commas, for example 11.3, 16.7."),
    )
    policy_areas = forms.ModelMultipleChoiceField(
        label=_("Policy areas"),
        queryset=PolicyArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner organizations"),
        required=False,
        queryset=Organization.objects.filter(status="approved").order_by("name"),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    place = forms.CharField(label=_("Main place"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=5
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=5
    )

    def __init__(self, *args, application, stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.questions = [q for q in application.call.questions.all() if q.stage == stage]
        self.full_stage = stage == "full"
        if not self.full_stage:
            for name in (
                "scale",
                "start_date",
                "end_date",
                "website",
                "goals",
                "target_codes",
                "policy_areas",
                "partners",
                "place",
                "latitude",
                "longitude",
            ):
                del self.fields[name]
        # Optional translations of the title and summary into the other interface languages.
        self.translation_languages = [
            (code, name)
            for code, name in settings.LANGUAGES
            if code != application.initiative.language
        ]
        for code, name in self.translation_languages:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": name},
                required=False,
                max_length=200,
            )
            self.fields[f"summary_{code}"] = forms.CharField(
                label=_("Summary in %(language)s") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for question in self.questions:
            if question.kind == QuestionKind.YES_NO:
                field = forms.BooleanField(required=False)
            elif question.kind == QuestionKind.TEXT:
                field = forms.CharField(required=False, max_length=500)
            else:
                field = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
            field.label = question.label + (" *" if question.required else "")
            field.help_text = question.help_text
            self.fields[f"q_{question.key}"] = field
        offered = application.call.support_offered
        if offered:
            self.fields["support_requested"] = forms.MultipleChoiceField(
                label=_("Support you request"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(s.value, s.label) for s in Support if s.value in offered],
            )

    def clean_target_codes(self):
        codes = [c.strip() for c in self.cleaned_data["target_codes"].split(",") if c.strip()]
        found = list(Target.objects.filter(code__in=codes))
        unknown = set(codes) - {t.code for t in found}
        if unknown:
            raise forms.ValidationError(
                _("Unknown targets: %(codes)s"), params={"codes": ", ".join(sorted(unknown))}
            )
        return found

    def clean(self):
        cleaned = super().clean()
        lat, lon, place = cleaned.get("latitude"), cleaned.get("longitude"), cleaned.get("place")
        if self.full_stage and (lat is None) != (lon is None):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        if self.full_stage and lat is not None and not place:
            self.add_error("place", _("Name the place."))
        return cleaned

    def translation_fields(self):
        return [
            (self[f"title_{code}"], self[f"summary_{code}"])
            for code, _name in self.translation_languages
        ]

    def answer_fields(self):
        return [self[f"q_{q.key}"] for q in self.questions]

    def to_service(self) -> dict:
        """What the service saves: only the fields that are valid, so a half-typed date never
        blocks saving the rest of the draft."""
        data = self.cleaned_data
        initiative = {
            k: data[k]
            for k in ("title", "summary", "scale", "start_date", "end_date", "website")
            if k in data
        }
        if "title" in initiative and not initiative["title"]:
            del initiative["title"]
        for name in ("goals", "policy_areas", "partners"):
            if name in data:
                initiative[name] = list(data[name])
        if "target_codes" in data:
            initiative["targets"] = data["target_codes"]
        if self.full_stage and {"place", "latitude", "longitude"} <= data.keys():
            initiative["locations"] = (
                [
                    {
                        "name": data["place"],
                        "latitude": data["latitude"],
                        "longitude": data["longitude"],
                    }
                ]
                if data["place"] and data["latitude"] is not None
                else []
            )
        initiative["translations"] = {
            code: {
                "title": data.get(f"title_{code}", ""),
                "summary": data.get(f"summary_{code}", ""),
            }
            for code, _name in self.translation_languages
            if f"title_{code}" in data
        }
        answers = {q.key: data[f"q_{q.key}"] for q in self.questions if f"q_{q.key}" in data}
        return {
            "initiative_data": initiative,
            "answers": answers,
            "support_requested": data.get("support_requested"),
        }


class DeliverableForm(forms.Form):
    title = forms.CharField(label=_("Deliverable"), max_length=200, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE_WIDGET)
    success_criteria = forms.CharField(
        label=_("Success criteria"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title") and not cleaned.get("due_date"):
            self.add_error("due_date", _("Give the due date."))
        return cleaned


DeliverableFormSet = forms.formset_factory(DeliverableForm, extra=2, max_num=20)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Add a document"), help_text=_("PDF, PNG, JPEG or office documents, up to 10 MB.")
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ShortlistForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (required when not shortlisted)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), required=False, choices=[("", "—"), *Recommendation.choices]
    )
    comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("Score (%(min)s to %(max)s)") % {"min": SCORE_MIN, "max": SCORE_MAX},
                required=False,
                widget=forms.NumberInput(attrs={"min": SCORE_MIN, "max": SCORE_MAX}),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict:
        return {
            c.pk: (
                self.cleaned_data.get(f"score_{c.pk}"),
                self.cleaned_data.get(f"comment_{c.pk}", ""),
            )
            for c in self.criteria
        }
