"""Settings for the test suite: the real settings with fast, deterministic knobs."""

import os

os.environ.setdefault("NANUM_FAST_HASHER", "1")
os.environ.setdefault("NANUM_TASKS_IMMEDIATE", "1")
os.environ.setdefault("NANUM_EMAIL_URL", "memory")
os.environ.setdefault("NANUM_MANIFEST_STATIC", "0")
os.environ.setdefault("NANUM_SECURE", "0")

from nanum.settings import *  # noqa: F403

LOGGING["root"]["level"] = "WARNING"  # noqa: F405
