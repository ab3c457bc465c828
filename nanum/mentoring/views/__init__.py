"""Mentoring pages, one module per audience: ``participant`` (both sides of a pair),
``mentor``, ``student``, ``staff`` and ``counselling``."""
