"""How the server-side rerun grows with the data: 1k, 10k and 100k synthetic events against
the real data, app.py and the floor, all in one run (bench/rerun.py with other defaults).

    .venv/bin/python bench/scaling.py [--sizes real 1k 10k 100k] [--repeats 15]

The synthetic folders (bench/make_data.py: 25x40, 250x40 and 250x400, pycountry's 249
countries at most) are generated on first use and kept in $STANCES_BENCH_CACHE (default
/tmp/stances-bench). The 100k folder takes about a minute to write and each page about a
minute to load and validate it; the reruns are then interleaved across sizes and pages.
"""

from __future__ import annotations

import sys

import rerun  # noqa: E402

if __name__ == "__main__":
    argv = sys.argv[1:]
    if "--repeats" not in argv:
        argv += ["--repeats", "15"]
    rerun.main(default_sizes=("real", "1k", "10k", "100k"), default_pages=("app", "floor"), argv=argv)
