"""What the dashboard shows, worked out without Streamlit: colours, map and timeline figures,
the view state in the URL, evidence for one record, file names and hover text.

``app.py`` only loads (cached) and draws; everything here is plain Python and plotly
figures, so the tests reach it without a browser. Every piece of data text that ends up
in HTML goes through :func:`esc`, and in plotly hovers and labels through :func:`plotly_esc`:
a record containing ``<script>`` or ``[x](javascript:...)`` is shown literally.
"""
from __future__ import annotations

from .base import (  # noqa: F401
    CATEGORIES,
    COLOURS,
    DATA_RECHECK_SECONDS,
    GEOMETRY_FILE,
    LAND_COLOUR,
    MARKERS_FILE,
    Memo,
    NO_POSITION,
    OTHER_LEVELS_COLOUR,
    PLAY_SECONDS,
    ROOT,
    SELECTED_OUTLINE,
    TOPOJSON_URL,
    code_of,
    data_fingerprint,
    esc,
    geometry_ids,
    marker_positions,
    md_code_block,
    md_escape,
    md_inline_code,
    plotly_esc,
    stance_label,
    stepped_colourscale,
)
from .state import (  # noqa: F401
    Notice,
    Timeframe,
    ViewState,
    as_of_basis,
    export_levels,
    export_stances,
    file_name,
    next_change,
    parse_query,
    previous_change,
    timeframe,
    to_query,
)
from .figures import (  # noqa: F401
    Band,
    REGIONS,
    TimelineData,
    event_keys,
    event_log,
    geo_layout,
    hover_text,
    key_from_point,
    map_figure,
    map_figure_of,
    snapshot,
    Shown,
    SnapshotTables,
    timeline_bands,
    timeline_data,
    timeline_figure,
    timeline_figure_of,
    timeline_range,
    unchecked_figure,
)
from .evidence import (  # noqa: F401
    Citation,
    EventView,
    Evidence,
    METHOD_MD,
    context_html,
    current_html,
    date_label,
    event_html,
    evidence,
    quote_context,
    record_label,
    record_options,
)
