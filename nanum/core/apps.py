from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nanum.core"
    label = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy checks
