"""Serve: CLI, exports and (later) API and web UI over reports and the ledger."""
