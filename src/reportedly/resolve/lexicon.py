"""Moved to ``reportedly.lexicon`` (neutral: extract/ and resolve/ both read it, neither owns it). This name is
kept only for ``link/outlets.py`` on the linking branch; delete it once that module imports ``reportedly.lexicon``."""

from reportedly.lexicon import load, outlets

__all__ = ["load", "outlets"]
