"""`streamlit run app.py [ARGS]` in this process, counting every call of stances.load_dataset.

Used by bench/load_test.py to show that the data is loaded and validated once per server
process, not once per session. Each call appends a line to the file named by
``STANCES_LOAD_COUNT_FILE``. app.py itself is unchanged and is still Streamlit's main script
(so its static/ folder is served as usual); the patch is made before Streamlit starts, in the
one process that runs every session's script.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import stances  # noqa: E402

_COUNT_FILE = Path(os.environ["STANCES_LOAD_COUNT_FILE"])
_real_load_dataset = stances.load_dataset


def counting_load_dataset(*args, **kwargs):
    started = time.perf_counter()
    try:
        return _real_load_dataset(*args, **kwargs)
    finally:
        with open(_COUNT_FILE, "a", encoding="utf-8") as handle:
            handle.write(f"{time.perf_counter() - started:.3f}\n")


stances.load_dataset = counting_load_dataset  # app.py does `from stances import load_dataset`

if __name__ == "__main__":
    from streamlit.web import cli

    from stances.nodelay import nagle_off

    nagle_off()  # as deploy/streamlit_run.py, which starts every other server
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *sys.argv[1:]]
    sys.exit(cli.main())
