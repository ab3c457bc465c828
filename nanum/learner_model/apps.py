from django.apps import AppConfig


class LearnerModelConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nanum.learner_model"
    label = "learner_model"
