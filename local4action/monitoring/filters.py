"""The portfolio dashboard's filters, read from the query string so that a view can be shared
as a link."""

from django import forms
from django.utils.translation import gettext_lazy as _

from local4action.core.models import Goal, RegionalSection

from .choices import Light


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.short}"


class PortfolioFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Regional section"),
        queryset=RegionalSection.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All regions"),
    )
    sdg = GoalChoiceField(
        label=_("SDG"),
        queryset=Goal.objects.order_by("number"),
        to_field_name="number",
        required=False,
        empty_label=_("All SDGs"),
    )
    light = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Light.choices],
        required=False,
    )

    def selected(self) -> dict:
        """The valid filters, as the selector takes them; a wrong value is simply ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        region, goal = data.get("region"), data.get("sdg")
        return {
            "region": region.slug if region else "",
            "sdg": goal.number if goal else None,
            "light": data.get("light") or "",
        }
