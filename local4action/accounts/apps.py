from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "local4action.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organizations")

    def ready(self):
        from .roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
