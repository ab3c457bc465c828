"""Thin HTML views of Seoul Learn, one module per audience."""
