"""What the dashboard shows, worked out without Streamlit: colours, map and timeline figures,
the view state in the URL, evidence for one record, file names and hover text.

``app.py`` only loads (cached) and draws; everything here is plain Python and plotly
figures, so the tests reach it without a browser. Every piece of data text that ends up
in HTML goes through :func:`esc`, and in plotly hovers and labels through :func:`plotly_esc`:
a record containing ``<script>`` or ``[x](javascript:...)`` is shown literally.
"""

from __future__ import annotations

from ..changes import changes_frame  # noqa: F401
from .alliances import (  # noqa: F401
    ALLIANCE_CAPTION,
    AllianceHistory,
    AllianceView,
    Member,
    Step,
    alliance_figure,
    alliance_history,
    alliance_view,
    members_html,
    splits_md,
)
from .base import (  # noqa: F401
    CATEGORIES,
    COLOURS,
    FADE,
    GEOMETRY_FILE,
    LAND_COLOUR,
    MARKERS_FILE,
    NO_POSITION,
    OTHER_LEVELS_COLOUR,
    OUTSIDE_ONLY,
    PLAY_SECONDS,
    ROOT,
    SELECTED_OUTLINE,
    STALE_DAYS,
    TOPOJSON_URL,
    UNSURE_MARK,
    Html,
    code_of,
    data_fingerprint,
    esc,
    evidence_age,
    fade,
    geometry_centres,
    geometry_ids,
    is_stale,
    is_unsure,
    marker_positions,
    md_code_block,
    md_escape,
    md_inline_code,
    plotly_esc,
    stance_label,
    stepped_colourscale,
)
from .compare import (  # noqa: F401
    Comparison,
    change_link,
    changed_hover,
    changes_md,
    compare_md,
    comparison_of,
)
from .evidence import (  # noqa: F401
    PANEL_CSS,
    Citation,
    EventView,
    Evidence,
    around_html,
    around_label,
    context_html,
    contexts,
    current_html,
    date_label,
    event_html,
    evidence,
    panel_html,
    quote_context,
    record_label,
    record_options,
)
from .figure import PlainFigure, unchecked_figure  # noqa: F401
from .found import SHOWN_HITS, hit_html, marked, results_md  # noqa: F401
from .hover import (  # noqa: F401
    certainty_words,
    hover_text,
)
from .image import IMAGE_TYPES, ImageError, image_file_name, image_unavailable, map_image, release_of  # noqa: F401
from .map import (  # noqa: F401
    CHANGED_OUTLINE,
    REGIONS,
    geo_layout,
    key_from_point,
    map_figure_of,
    map_legend,
)
from .prose import DAY_HEADING_HTML, MAP_CAPTION, METHOD_MD, TIMELINE_CAPTION, summary_md  # noqa: F401
from .reader import Cited, citations_of, reader_html, reader_lines  # noqa: F401
from .session import DATA_RECHECK_SECONDS, Page, Tables, data_version  # noqa: F401
from .state import (  # noqa: F401
    DEFAULT_BLOC,
    URL_WORDS,
    Notice,
    Timeframe,
    ViewState,
    as_of_basis,
    default_bloc,
    export_levels,
    export_stances,
    file_name,
    next_change,
    parse_query,
    previous_change,
    timeframe,
    to_query,
)
from .tables import (  # noqa: F401
    Shown,
    SnapshotTables,
    event_keys,
    snapshot,
)
from .timeline import (  # noqa: F401
    HATCH,
    Band,
    TimelineData,
    day_marker_html,
    label_margin,
    timeline_bands,
    timeline_data,
    timeline_figure_of,
    timeline_range,
)
