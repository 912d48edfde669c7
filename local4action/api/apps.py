from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "local4action.api"
    label = "api"
    verbose_name = "API"
