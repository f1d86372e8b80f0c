"""deploy/streamlit_run.py, which starts every server of the dashboard: Streamlit's sweep of
unused download files runs at most once per interval, and still removes them; the theme of
every run's first message is read from the config once, and is the same."""

from __future__ import annotations

import importlib.util
import time
from collections import Counter

import pytest
from streamlit import config
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import app_session
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from conftest import ROOT


def launcher():
    spec = importlib.util.spec_from_file_location("streamlit_run", ROOT / "deploy" / "streamlit_run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # its __main__ block does not run
    return module


def an_unused_file(manager: MediaFileManager, n: int) -> str:
    """A media file added by a session that then let go of it, as a run that drew it once."""
    before = set(manager._file_metadata)
    manager.add(b"x" * n, "text/plain", f"coords-{n}")
    (file_id,) = set(manager._file_metadata) - before
    manager.clear_session_refs()
    return file_id


def test_the_sweep_runs_at_most_once_per_interval_and_still_removes(monkeypatch):
    monkeypatch.setattr(MediaFileManager, "remove_orphaned_files", MediaFileManager.remove_orphaned_files)
    launcher().sweep_at_most_every(0.5)
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    first = an_unused_file(manager, 1)
    manager.remove_orphaned_files()
    assert first not in manager._file_metadata  # the first sweep works at once
    second = an_unused_file(manager, 2)
    manager.remove_orphaned_files()
    assert second in manager._file_metadata  # within the interval: nothing done
    time.sleep(0.6)
    manager.remove_orphaned_files()
    assert second not in manager._file_metadata  # after it: swept


def test_a_file_in_use_is_kept():
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    manager.add(b"kept", "text/plain", "coords")
    kept = set(manager._file_metadata)
    manager.remove_orphaned_files()
    assert kept and set(manager._file_metadata) == kept


SECTIONS = ("theme", "theme.light", "theme.dark", "theme.sidebar", "theme.light.sidebar", "theme.dark.sidebar")


def first_message() -> bytes:
    """The theme part of a run's first message, filled as Streamlit's
    ``AppSession._create_new_session_message`` fills it."""
    msg = ForwardMsg()
    theme = msg.new_session.custom_theme
    parts = (theme, theme.light, theme.dark, theme.sidebar, theme.light.sidebar, theme.dark.sidebar)
    for part, section in zip(parts, SECTIONS, strict=True):
        app_session._populate_theme_msg(part, section)
    return msg.SerializeToString()


@pytest.mark.parametrize(
    "options",
    [
        {},
        {
            "theme": {"base": "dark", "primaryColor": "#123456", "font": "serif"},
            "theme.light": {"backgroundColor": "#fafafa"},
            "theme.sidebar": {"textColor": "#222222"},
        },
    ],
)
def test_the_theme_is_read_once_per_section_and_is_the_same(monkeypatch, options):
    """With no theme configured (this project) the message has none, as Streamlit's own: the
    browser then keeps its light, dark and system themes. With one, the same bytes."""
    options = {section: dict(values) for section, values in options.items()}
    reads: Counter = Counter()

    def options_for_section(section: str) -> dict:
        reads[section] += 1
        return dict(options.get(section, {"primaryColor": None}))

    monkeypatch.setattr(config, "get_options_for_section", options_for_section)
    monkeypatch.setattr(app_session, "_populate_theme_msg", app_session._populate_theme_msg)
    streamlit_own = first_message()
    assert bool(streamlit_own) == bool(options)
    stop = launcher().theme_made_once()
    try:
        reads.clear()
        assert first_message() == first_message() == streamlit_own
        assert reads == Counter(SECTIONS)  # once each, for two runs
        # A new parse of the config files: read again.
        options.setdefault("theme", {})["primaryColor"] = "#654321"
        config._on_config_parsed.send()
        assert b"#654321" in first_message() and reads["theme"] == 2
    finally:
        stop()
