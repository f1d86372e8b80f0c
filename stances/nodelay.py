"""Nagle's algorithm off on the connections a Streamlit server accepts (used by
``deploy/streamlit_run.py``, which starts every server of the dashboard).

asyncio turns Nagle off (TCP_NODELAY) only on sockets whose ``proto`` is IPPROTO_TCP, and
the sockets uvicorn accepts for Streamlit have ``proto`` 0, so Nagle stays on. A run's
messages are many small websocket frames: after the first few, Nagle holds the rest until
the reader's delayed ACK, 40 ms later. A date change took 47.8 ms from the reader's message to
its last frame; with Nagle off, 13 to 14.5 ms (bench/README.md, "The rerun gap").
"""

from __future__ import annotations

import asyncio.base_events
import socket


def set_nodelay(sock: socket.socket) -> None:
    """asyncio's ``_set_nodelay`` without its test of ``sock.proto``."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def nagle_off() -> None:
    """Every TCP transport asyncio makes from now on sends small writes at once."""
    asyncio.base_events._set_nodelay = set_nodelay  # type: ignore[attr-defined]
