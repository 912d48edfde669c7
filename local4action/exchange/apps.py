from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "local4action.exchange"
    label = "exchange"
    verbose_name = _("Exchange space")

    def ready(self):
        from local4action.core import sdg_links

        from .sdg_links import discussions_section

        sdg_links.register(discussions_section)
