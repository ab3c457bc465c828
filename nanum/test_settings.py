"""Settings for the test suite: the real settings with fast, deterministic knobs."""

import os

os.environ.setdefault("NANUM_FAST_HASHER", "1")
os.environ.setdefault("NANUM_TASKS_IMMEDIATE", "1")
os.environ.setdefault("NANUM_EMAIL_URL", "memory")
os.environ.setdefault("NANUM_MANIFEST_STATIC", "0")
os.environ.setdefault("NANUM_SECURE", "0")
# Never the internet: the ZEUS client of a test talks to a local fake or to nothing.
os.environ.setdefault("NANUM_ZEUS_BASE_URL", "http://127.0.0.1:9/zeus-offline")
# Explicit keys for the test database (PostgreSQL runs set DATABASE_URL, which counts as
# production without NANUM_DEBUG): fixed test values, never used outside the tests.
os.environ.setdefault(
    "NANUM_SECRET_KEY",
    "nanum-test-suite-secret-key-not-for-production-000000000000",
)
os.environ.setdefault(
    "NANUM_FIELD_KEYS", "dGVzdC1maWVsZC1rZXktbm90LWZvci1wcm9kdWN0aW8="
)

from nanum.settings import *  # noqa: F403

LOGGING["root"]["level"] = "WARNING"  # noqa: F405
