"""Forms of the network pages: asking to connect, offers and needs, the picture's filters."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from local4action.core.models import Goal, RegionalSection

from .choices import ConnectionKind, ExchangeCategory, ExchangeSide


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal as form errors: each message beside its field, others on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class ConnectForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _("Choose one of the initiatives you act for, other than this one.")
        },
    )
    kind = forms.ChoiceField(label=_("Kind of connection"), choices=ConnectionKind.choices)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what you would like to learn or do together (at most 2,000 characters)."),
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources


class ExchangeItemForm(forms.Form):
    side = forms.ChoiceField(
        label=_("Offer or need"), choices=ExchangeSide.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("Category"), choices=ExchangeCategory.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PictureFilterForm(forms.Form):
    """The picture's filters (GET): anything unknown is ignored rather than refused."""

    goal = forms.TypedChoiceField(label=_("SDG"), required=False, coerce=int, empty_value=None)
    region = forms.TypedChoiceField(label=_("Region"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", _("All SDGs"))] + [
            (goal.number, str(goal)) for goal in Goal.objects.order_by("number")
        ]
        self.fields["region"].choices = [("", _("All regions"))] + [
            (section.pk, section.name) for section in RegionalSection.objects.all()
        ]

    def filters(self) -> dict:
        # A filter with an unknown value is dropped; the other one still applies.
        if not self.is_bound or not (self.is_valid() or self.cleaned_data):
            return {"goal": None, "section": None}
        return {"goal": self.cleaned_data.get("goal"), "section": self.cleaned_data.get("region")}
