from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "local4action.library"
    label = "library"
    verbose_name = _("Knowledge library")

    def ready(self):
        from . import signals

        signals.connect()
