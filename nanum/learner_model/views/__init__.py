"""The learner model's pages, one module per audience."""
