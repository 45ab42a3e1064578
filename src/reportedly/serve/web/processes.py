"""``reportedly serve --workers N``: N server processes, each listening on its own socket on the one port.

Python runs one core's worth of a process at a time, so a server uses N processes for N cores. uvicorn's own
``--workers`` hands every process the same listening socket, and the process that the kernel wakes first for
a new connection accepts it (libuv accepts greedily), so on a burst of clients, and again on every
reconnection, most connections land on one process while the other idles: measured on the AllSides ledger,
13 of 20 keep-alive clients on one process, and 15 to 19 of 20 when connections were closed now and then to
redistribute them. Here each process has its own socket bound with ``SO_REUSEPORT``, and the kernel spreads
new connections over them by a hash of the client's address and port, whatever each process is doing; a
crowded process hands clients over by closing their connections (web/admission.py), through an array of
the processes' loads made here. A process that dies is started again on its socket.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import socket
import time
from typing import Any

spawn = multiprocessing.get_context("spawn")
STEADY = 10.0  # seconds a process must have run for its exit to be a crash worth a restart


class WorkerFailed(RuntimeError):
    """A server process exited right after it started (its app could not start)."""


def listeners(host: str, port: int, n: int) -> list[socket.socket]:
    """``n`` listening sockets on the same address (port 0: a free port, the same for all)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    out: list[socket.socket] = []
    for _ in range(n):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            sock.bind((host, port))
        except OSError:
            sock.close()
            for s in out:
                s.close()
            raise
        sock.listen(2048)
        sock.set_inheritable(True)
        port = sock.getsockname()[1]
        out.append(sock)
    return out


def _child(config: Any, sock: socket.socket, loads: Any, index: int) -> None:
    """Server process ``index``: the app built by the config's factory, serving its own socket, publishing
    its load in ``loads`` (web/admission.py)."""
    import uvicorn

    from reportedly.serve.web.admission import share_loads

    share_loads(loads, index)
    config.configure_logging()
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C reaches the whole process group; the parent stops all
        uvicorn.Server(config).run(sockets=[sock])


def serve_processes(config: Any, host: str, port: int, n: int) -> None:
    """Run ``n`` processes of the uvicorn ``config`` (an app factory each process imports), one socket each,
    until SIGINT or SIGTERM; a process that exits on its own is restarted, unless it had not been running
    ``STEADY`` seconds (WorkerFailed: the others are stopped too)."""
    socks = listeners(host, port, n)
    loads = spawn.Array("i", n, lock=False)  # each process's reads held, for the hand-over (web/admission.py)

    def process(i: int) -> Any:
        return spawn.Process(target=_child, args=(config, socks[i], loads, i), daemon=False)

    procs = [process(i) for i in range(n)]
    started = [0.0] * n
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True

    old = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for i, p in enumerate(procs):
            p.start()
            started[i] = time.monotonic()
        while not stopping:
            time.sleep(0.5)
            for i, p in enumerate(procs):
                if stopping or p.exitcode is None:
                    continue
                if time.monotonic() - started[i] < STEADY:  # it cannot start: restarting would only loop
                    raise WorkerFailed(f"server process {i + 1} of {n} exited while starting (code {p.exitcode})")
                loads[i] = 0
                procs[i] = process(i)
                procs[i].start()
                started[i] = time.monotonic()
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(20)
            if p.is_alive():
                p.kill()
        for s in socks:
            s.close()
        for sig, handler in old.items():
            signal.signal(sig, handler)
