"""What a running server knows: its settings, and one ledger connection per worker thread.

FastAPI runs synchronous handlers on a thread pool; neither sqlite3 nor a psycopg connection should be
shared between threads, so each thread opens its own (the schema is migrated once, at start-up).
"""

from __future__ import annotations

import contextlib
import hmac
import json
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from reportedly.serve.analyzer import DEFAULT_DEADLINE, Analyzer
from reportedly.store import Store, open_store, queries

FACET_TTL = 60.0
QUERY_SECONDS = 10.0
MMAP_BYTES = 1 << 31  # SQLite maps at most this much of the ledger file (and at most its build limit, ~2 GiB)
SLOTS = 2  # one request in the database (no GIL) while another renders; measured in docs/design.md
MAX_BODY = 1_000_000  # bytes: a pasted article, or a file upload, with room for the form around it


SETTINGS_ENV = "REPORTEDLY_SERVE_SETTINGS"  # how `serve --workers N` hands the settings to its processes


@dataclass
class Settings:
    db_url: str
    token: str | None = None  # writes (analyze-and-store) need it; None = read-only server
    max_body: int = MAX_BODY
    deadline: float = DEFAULT_DEADLINE
    query_seconds: float = QUERY_SECONDS  # what one request may spend in the database
    slots: int = SLOTS  # reads a process serves at once, the rest queued in order (web/admission.py)

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, raw: str) -> Settings:
        return cls(**json.loads(raw))


@dataclass
class ServerState:
    settings: Settings
    analyzer: Analyzer = field(init=False)
    _local: threading.local = field(default_factory=threading.local, init=False)
    _all: list[Store] = field(default_factory=list, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _cache: dict[str, tuple[float, Any]] = field(default_factory=dict, init=False)
    _refreshing: set[str] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        self.analyzer = Analyzer(self.settings.deadline)
        with open_store(self.settings.db_url) as store:  # migrate once; a bad URL fails at start-up
            store.schema_version()

    def store(self) -> Store:
        """This thread's connection to the ledger; calling it starts the request's database time budget
        (``query_seconds``), past which a query is cancelled (QueryTimeout for the caller)."""
        st = getattr(self._local, "store", None)
        if st is None:
            st = open_store(self.settings.db_url, migrate=False)
            self._bound(st)
            self._local.store = st
            with self._lock:
                self._all.append(st)
        self._local.deadline = time.monotonic() + self.settings.query_seconds
        return st

    def _bound(self, st: Store) -> None:
        conn: Any = getattr(st, "conn", None)
        if st.dialect == "sqlite":
            conn.set_progress_handler(self._over_time, 1_000)
            # pages read claims and articles scattered over the file: through a memory map each page is a
            # memory read, not a read() system call into SQLite's small per-connection cache (half a
            # search's database CPU). The mapping is of the file the OS caches anyway, shared by the threads.
            st._query(f"PRAGMA mmap_size = {MMAP_BYTES}")
        elif st.dialect == "postgres":  # 0 would mean no limit
            ms = max(1, int(self.settings.query_seconds * 1000))
            st._query("SELECT set_config('statement_timeout', ?, false)", (str(ms),))

    def _over_time(self) -> int:
        """SQLite's progress handler: non-zero interrupts the running statement."""
        return int(time.monotonic() > getattr(self._local, "deadline", float("inf")))

    def facets(self) -> dict[str, list[str]]:
        """The search form's select options (they scan the whole ledger; a new outlet appearing a minute
        late is harmless)."""
        return self._cached("facets", queries.facet_values)

    def outlets(self) -> list[dict[str, Any]]:
        """Every outlet's sourcing profile (a pass over the whole ledger), at most ``FACET_TTL`` seconds old."""
        return self._cached("outlets", queries.outlet_table)

    def warm(self) -> None:
        """Compute the cached aggregates now; a ledger too big for the time allowed is not an error at start
        (the page that needs it says so)."""
        for compute in (self.facets, self.outlets):
            with contextlib.suppress(Exception):
                compute()

    def _cached(self, name: str, compute: Any) -> Any:
        """``compute(store)``, at most ``FACET_TTL`` seconds old: whole-ledger aggregates. Computed in the
        request only the first time (``warm`` does it at start-up); after that a stale value is served while
        a background thread computes the next one, so no visitor waits for a pass over the whole ledger."""
        with self._lock:
            cached = self._cache.get(name)
            stale = cached is not None and time.monotonic() - cached[0] > FACET_TTL
            if stale and name not in self._refreshing:
                self._refreshing.add(name)
                threading.Thread(target=self._refresh, args=(name, compute), daemon=True).start()
        if cached is None:
            cached = (time.monotonic(), compute(self.store()))
            with self._lock:
                self._cache[name] = cached
        return cached[1]

    def _refresh(self, name: str, compute: Any) -> None:
        """Recompute one cached aggregate on its own connection; on failure the old value stays."""
        try:
            with open_store(self.settings.db_url, migrate=False) as st:
                value = compute(st)
            with self._lock:
                self._cache[name] = (time.monotonic(), value)
        except Exception:  # a busy or vanished ledger: keep serving the last value, try again next time
            pass
        finally:
            with self._lock:
                self._refreshing.discard(name)

    @property
    def writable(self) -> bool:
        return bool(self.settings.token)

    def token_ok(self, given: str | None) -> bool:
        """Constant-time check of a write token; always False on a read-only server."""
        want = self.settings.token
        return bool(want and given and hmac.compare_digest(want.encode(), given.encode()))

    def close(self) -> None:
        self.analyzer.close()
        with self._lock:
            for st in self._all:
                with contextlib.suppress(Exception):  # closing from another thread: best effort at shutdown
                    st.close()
            self._all.clear()
