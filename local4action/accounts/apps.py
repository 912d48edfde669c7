from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "local4action.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organizations")

    def ready(self):
        from .roles import ensure_role_groups

        # After the last app's migrations: the permissions of every app exist by then.
        last = [config for config in apps.get_app_configs() if config.models_module][-1]
        post_migrate.connect(ensure_role_groups, sender=last, dispatch_uid="accounts.roles")
