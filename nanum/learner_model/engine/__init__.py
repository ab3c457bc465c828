"""The recommender's pure algorithms (no Django): mastery estimators and ranking.

``estimators`` turns a learner's answers into per-skill mastery (a trained
knowledge-tracing model, or a counting fallback); ``recommend`` ranks lessons and
practice questions by expected learning gain. The selectors feed them data.
"""
