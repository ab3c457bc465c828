import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nanum.settings")
application = get_wsgi_application()

# Import the URL patterns (every app's views and the API's schemas: about two seconds
# of CPU) now, while the worker boots, not in its first request: otherwise each new
# worker makes its first visitors wait, and the requests queued behind them.
get_resolver().url_patterns  # noqa: B018 (loading is the point)

# What loading the application created (modules, URL patterns, templates, translations)
# lives as long as the process: move it out of the collector's reach, so that a full
# collection during a request sweeps only what requests made (shorter tail latency).
gc.freeze()
