from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "local4action.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from local4action.core import sdg_links
        from local4action.initiatives.sdg_links import initiatives_section

        from .sdg_links import initiatives_progress_section

        sdg_links.register(initiatives_progress_section, replaces=initiatives_section)
