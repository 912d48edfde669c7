from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "local4action.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from local4action.core import sdg_links

        from .sdg_links import initiatives_section

        sdg_links.register(initiatives_section)

        from . import signals

        signals.connect()
