"""``streamlit``, with Nagle's algorithm off on every connection it accepts
(stances/nodelay.py says why): ``python deploy/streamlit_run.py run app.py [options]``."""

from __future__ import annotations

import sys

from streamlit.web import cli

from stances.nodelay import nagle_off

if __name__ == "__main__":
    nagle_off()
    sys.argv[0] = "streamlit"
    sys.exit(cli.main())
