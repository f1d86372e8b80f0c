"""``streamlit`` as a served replica runs it: ``python deploy/streamlit_run.py run app.py [options]``.

- Nagle's algorithm off on every connection it accepts (stances/nodelay.py says why).
- Python's garbage collector run less often. A replica holds hundreds of sessions, and
  with the default thresholds (700, 10, 10) it ran a full collection every few seconds
  under load, each one scanning every session's objects with the whole process stopped:
  at 1,000 sessions, 11 pauses of about 0.4 s in 25 s. At (10,000, 10, 10), 1 (bench/README.md,
  "Under many sessions"). Garbage is still collected, mostly while it is young.
"""

from __future__ import annotations

import gc
import sys

from streamlit.web import cli

from stances.nodelay import nagle_off

if __name__ == "__main__":
    nagle_off()
    gc.set_threshold(10_000, 10, 10)
    sys.argv[0] = "streamlit"
    sys.exit(cli.main())
