"""The project package as an app: the composition root.

It owns no models. It is the one place that knows every app: URL and API mounting
(``urls.py``, ``api.py``), the periodic schedule (``schedule.py``), the demo data
order (``demo.py``) and the commands that use them (``nanum periodic``,
``nanum seed_demo``, ``nanum demo``). ``core`` imports no app; this package may.
"""

from django.apps import AppConfig


class NanumConfig(AppConfig):
    name = "nanum"
    label = "nanum"
    verbose_name = "Nanum"

    def ready(self) -> None:
        from nanum import home  # cycle: app modules import models, ready() comes after

        home.register()
