"""Evaluation against human-annotated corpora."""
