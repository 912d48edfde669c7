from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "local4action.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from local4action.core import sdg_links

        from .sdg_links import events_section

        sdg_links.register(events_section)
