"""Extraction: pure functions from a spaCy Doc to attributions, hedges, quantities and times."""
