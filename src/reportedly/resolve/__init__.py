"""Resolve: sources to entities, channels, provenance chains, dates, headline support."""
