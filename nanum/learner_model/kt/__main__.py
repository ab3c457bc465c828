"""``python -m nanum.learner_model.kt`` (train / evaluate without Django)."""

import sys

from .cli import main

sys.exit(main())
