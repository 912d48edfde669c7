from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "local4action.library"
    label = "library"
    verbose_name = _("Knowledge library")

    def ready(self):
        from local4action.core import sdg_links

        from . import signals
        from .sdg_links import resources_section

        signals.connect()
        sdg_links.register(resources_section)
