from django.apps import AppConfig


class LearningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nanum.learning"
    label = "learning"

    def ready(self) -> None:
        """Hand the menu (``nanum.core.navigation``) the towns' service switches, so
        members see counselling, & Jump, ... only where their town offers them."""
        # cycle: both import models, which may be imported only once ready() runs
        from nanum.core.navigation import service_gate_register
        from nanum.learning.selectors import services_offered_to  # cycle: models

        service_gate_register(services_offered_to)
