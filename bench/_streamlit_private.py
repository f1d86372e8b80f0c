"""Every use of Streamlit's private APIs, in one place, each with the reason no public way
serves. Used by the tests (tests/test_app.py, tests/test_dated_rerun.py) and the
benchmarks (bench/rerun.py). Pinned Streamlit: 1.67.0; a new version may move these.
"""

from __future__ import annotations

# AppTest cannot click a download button and read what it hands over; the page's buttons
# make their data on click (a deferred callable registered here), so the tests record it.
from streamlit.runtime.media_file_manager import MediaFileManager  # noqa: F401

# The server reruns only a fragment when a widget inside it changes; AppTest always reruns
# the whole page. A rerun of one fragment is asked for as the server does, with the
# fragment's id in the rerun request, and the ids come from AppTest's fragment storage.
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData  # noqa: F401
from streamlit.testing.v1 import local_script_runner  # noqa: F401


def fragment_ids(at) -> list[str]:
    """The ids of the fragments AppTest's session ``at`` has drawn."""
    return list(at._fragment_storage._fragments)


# bench/rerun.py times the page script alone (not AppTest's own work) and encodes the
# messages of a run as the server does before sending them: the script runner's call of
# the page, and the message cache's hashing, are where the server does that.
from streamlit.runtime.forward_msg_cache import populate_hash_if_needed  # noqa: E402, F401
from streamlit.runtime.scriptrunner import script_runner  # noqa: E402, F401
