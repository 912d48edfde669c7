from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Deliverable, Indicator, ProgressReport
from .services import DELIVERABLE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeliverableForm(forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = list(DELIVERABLE_FIELDS)
        widgets = {
            "due_date": DATE,
            "delivered_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "success_criteria": forms.Textarea(attrs={"rows": 3}),
        }


class IndicatorForm(forms.ModelForm):
    sdg_code = forms.CharField(
        label=_("Official SDG indicator"),
        required=False,
        max_length=12,
        help_text=_("Optional code, for example 11.2.1."),
    )
    keys = forms.CharField(
        label=_("Breakdowns"),
        required=False,
        help_text=_("Optional, separated by commas: for example sex, age group, district."),
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
        ]
        widgets = {"baseline_date": DATE, "target_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["keys"] = ", ".join(self.instance.disaggregation_keys)
            if self.instance.sdg_indicator_id:
                self.initial["sdg_code"] = self.instance.sdg_indicator.code

    def clean_sdg_code(self):
        return selectors.sdg_indicator_for(self.cleaned_data["sdg_code"])

    def to_service(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["sdg_indicator"] = self.cleaned_data["sdg_code"]
        data["disaggregation_keys"] = [k for k in self.cleaned_data["keys"].split(",")]
        return data


class NumberField(forms.DecimalField):
    """Accepts 12.5 and 12,5 (and spaces between thousands): small teams type both."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            for space in (" ", "\u00a0", "\u202f"):
                value = value.replace(space, "")
            if "," in value and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


class MeasurementForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    value = NumberField(label=_("Value"), max_digits=16, decimal_places=4)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].label = _("Value (%(unit)s)") % {"unit": indicator.unit}
        for key in indicator.disaggregation_keys:
            self.fields[f"by_{key}"] = forms.CharField(
                label=key, required=False, max_length=100, help_text=_("Leave empty for the total.")
            )

    def disaggregation(self) -> dict:
        return {
            name[3:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("by_") and value
        }


class ReportForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProgressReport
        fields = [
            "narrative",
            "achievements",
            "challenges",
            "next_steps",
            "acceleration",
            "synchronization",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)


class AcknowledgeForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback for the team"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanForm(forms.Form):
    report_every_months = forms.IntegerField(
        label=_("Report every (months)"), min_value=1, max_value=24, initial=6
    )
    first_report_due = forms.DateField(label=_("First report due"), widget=DATE)
