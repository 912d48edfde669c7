"""Forms of the exchange space. They only shape the input: the services check the rules
(sanitizing, length, locks, blocks, rate limits, attachments) and their refusals are shown
beside the fields with `errors_to_form`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .choices import Frequency
from .models import POST_MAX_CHARS
from .services import ATTACHMENTS_PER_POST

BODY_HELP = _(
    "Basic formatting is kept: paragraphs, lists, links, bold and italics. "
    "To notify someone, write @ followed by their email address, e.g. @name@example.org."
)


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal as form errors: each message beside its field, others on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (kind, content, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [file for file in files if file]


class PostForm(forms.Form):
    # The service counts characters and answers with the limit; the form only stops absurd sizes
    # before they reach it, with the same kind of message.
    body = forms.CharField(
        label=_("Message"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=BODY_HELP,
        error_messages={"required": _("Write a message first.")},
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        # Formatted when shown: `%` on a lazy string would fix it in English at import.
        help_text=lazy(
            lambda: (
                _("Up to %(count)s files: PDF, images (PNG, JPEG) or office documents, 5 MB each.")
                % {"count": ATTACHMENTS_PER_POST}
            ),
            str,
        )(),
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if len(body) > POST_MAX_CHARS:
            raise ValidationError(
                _("A message can be %(limit)s characters long at most (this one has %(count)s).")
                % {"limit": f"{POST_MAX_CHARS:,}", "count": f"{len(body):,}"}
            )
        return body


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=200)

    field_order = ["title", "body", "attachments"]


class EditForm(forms.Form):
    body = PostForm.base_fields["body"]


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Emails about the discussions I follow and mentions of me"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
    )
