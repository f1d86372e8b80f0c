"""Country stances on Huawei in 5G networks: curated, cited, resolved as of a date."""

from .alliances import alliance_names, members_as_of, members_of_any
from .asof import change_days, stance_as_of, stance_event
from .dataset import Dataset
from .load import DEFAULT_DATA_DIR, data_dir_from_env, load_dataset
from .problems import DataError, Problem
from .schema import LEVELS, STANCES, country_name

__all__ = [
    "DEFAULT_DATA_DIR",
    "Dataset",
    "DataError",
    "EVENT_COLUMNS",
    "LEVELS",
    "Problem",
    "SNAPSHOT_COLUMNS",
    "STANCES",
    "alliance_names",
    "change_days",
    "country_name",
    "data_dir_from_env",
    "events_frame",
    "load_dataset",
    "members_as_of",
    "members_of_any",
    "snapshot_frame",
    "stance_as_of",
    "stance_event",
    "to_csv",
]

# The CSV exports need pandas, which takes longer to import than the rest of the package:
# they load on first use, so `python -m stances check` starts without it.
_EXPORTS = {"EVENT_COLUMNS", "SNAPSHOT_COLUMNS", "events_frame", "snapshot_frame", "to_csv"}


def __getattr__(name: str):
    if name in _EXPORTS:
        from . import export

        return getattr(export, name)
    raise AttributeError(f"module 'stances' has no attribute {name!r}")
