from django.apps import AppConfig

from . import checks  # noqa: F401 - registers the deploy checks


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nanum.core"
    label = "core"
