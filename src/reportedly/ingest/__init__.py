"""Ingest: turn files, HTML, feeds and archives into Article objects, rejecting bad input with one line."""
