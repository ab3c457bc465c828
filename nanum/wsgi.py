import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nanum.settings")
application = get_wsgi_application()

# What loading the application created (modules, URL patterns, templates, translations)
# lives as long as the process: move it out of the collector's reach, so that a full
# collection during a request sweeps only what requests made (shorter tail latency).
gc.freeze()
