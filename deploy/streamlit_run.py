"""``streamlit`` as the dashboard's servers run it: ``python deploy/streamlit_run.py run app.py [options]``.

- Nagle's algorithm off on every connection it accepts (stances/nodelay.py says why).
- Python's garbage collector run less often. A replica holds hundreds of sessions, and
  with the default thresholds (700, 10, 10) it ran a full collection every few seconds
  under load, each one scanning every session's objects with the whole process stopped:
  at 1,000 sessions, 11 pauses of about 0.4 s in 25 s. At (10,000, 10, 10), 1 (bench/README.md,
  "Under many sessions"). Garbage is still collected, mostly while it is young.
- Streamlit's sweep of unused download files at most once a second (``sweep_at_most_every``).
- The theme part of every run's first message made once (``theme_made_once``).
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from streamlit import config
from streamlit.runtime import app_session
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.web import cli

from stances.nodelay import nagle_off


def sweep_at_most_every(seconds: float) -> None:
    """From now on, Streamlit's ``MediaFileManager.remove_orphaned_files`` works at most
    once per ``seconds``.

    After every script run it looks through the download files of every session the server
    holds (closed sessions kept for reconnection too) for those no session uses any more.
    Each session has four or five (the map's pictures, the CSVs), so every run costs more
    as readers come: at 1,000 readers, 7% of a replica's time (bench/README.md, "Under many
    sessions"). Once a second finds the same files, a little later.
    """
    sweep = MediaFileManager.remove_orphaned_files
    lock = threading.Lock()
    last = -float("inf")

    def remove_orphaned_files(self: MediaFileManager) -> None:
        nonlocal last
        with lock:
            now = time.monotonic()
            if now - last < seconds:
                return
            last = now
        sweep(self)

    MediaFileManager.remove_orphaned_files = remove_orphaned_files  # type: ignore[method-assign]


def theme_made_once() -> Callable[[], None]:
    """From now on, each theme section of the message that starts every script run is read
    from the config once, then copied.

    Streamlit's ``_populate_theme_msg`` reads six sections ([theme], [theme.light], ...) per
    run, each a pass over every config option (bench/README.md, "1,000 readers"). A new
    parse of the config files forgets the copies. Returns what stops that.
    """
    fill = app_session._populate_theme_msg
    made: dict[str, Any] = {}  # section: its filled message, or None if Streamlit leaves it unset

    def _populate_theme_msg(msg: Any, section: str = "theme") -> None:
        template = made.get(section, made)  # the dict itself: not read yet
        if template is made:
            filled = type(msg)()
            fill(filled, section)
            template = made[section] = filled if filled.ListFields() else None
        if template is not None:  # an unset section stays unset: the browser keeps its own themes
            msg.MergeFrom(template)

    app_session._populate_theme_msg = _populate_theme_msg
    return config.on_config_parsed(made.clear, force_connect=True)


if __name__ == "__main__":
    nagle_off()
    gc.set_threshold(10_000, 10, 10)
    sweep_at_most_every(1.0)
    theme_made_once()
    sys.argv[0] = "streamlit"
    sys.exit(cli.main())
