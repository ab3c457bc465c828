from .helpers import lending  # noqa: F401  (the fixture)
