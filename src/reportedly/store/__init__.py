"""Store: the ledger in SQLite (default) or PostgreSQL behind one interface."""
