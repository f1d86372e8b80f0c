from types import SimpleNamespace

import pytest

from stances import alliance_names, members_as_of, members_of_any
from stances.schema import AlliancesFile
from stances.yamlio import read_yaml

from conftest import ROOT, day


@pytest.fixture(scope="module")
def real():
    """The project's own alliances.yaml, read on its own so curation elsewhere cannot break it."""
    raw, _ = read_yaml(ROOT / "data" / "alliances.yaml")
    return SimpleNamespace(alliances=AlliancesFile.model_validate(raw))


@pytest.mark.parametrize(
    "name, on, iso3, member",
    [
        ("EU", "2020-01-31", "GBR", True),
        ("EU", "2020-02-01", "GBR", False),
        ("EU", "1972-12-31", "GBR", False),
        ("EU", "1973-01-01", "GBR", True),
        ("NATO", "2020-03-26", "MKD", False),
        ("NATO", "2020-03-27", "MKD", True),
        # Year precision: a member from 1 January.
        ("Five Eyes", "1955-12-31", "AUS", False),
        ("Five Eyes", "1956-01-01", "AUS", True),
    ],
)
def test_membership_edges(ds, name, on, iso3, member):
    assert (iso3 in members_as_of(ds, name, day(on))) is member


@pytest.mark.parametrize(
    "name, on, iso3, member",
    [
        ("EU", "2020-01-31", "GBR", True),
        ("EU", "2020-02-01", "GBR", False),
        ("NATO", "2020-03-26", "MKD", False),
        ("NATO", "2020-03-27", "MKD", True),
    ],
)
def test_membership_edges_in_real_data(real, name, on, iso3, member):
    assert (iso3 in members_as_of(real, name, day(on))) is member


def test_members_as_of(ds):
    assert members_as_of(ds, "EU", day("2020-01-31")) == {"DEU", "GBR"}
    assert members_as_of(ds, "EU", day("2020-02-01")) == {"DEU"}
    assert members_as_of(ds, "NATO", day("1950-01-01")) == {"CAN", "GBR"}


def test_members_of_any(ds):
    assert members_of_any(ds, ["EU", "Five Eyes"], day("2020-06-01")) == {"DEU", "GBR", "CAN", "AUS"}
    assert members_of_any(ds, [], day("2020-06-01")) == set()


def test_unknown_alliance_raises_key_error(ds):
    with pytest.raises(KeyError, match="unknown alliance 'ASEAN'; known: EU, NATO, Five Eyes"):
        members_as_of(ds, "ASEAN", day("2020-01-01"))


def test_alliance_names(ds):
    assert alliance_names(ds) == ["EU", "NATO", "Five Eyes"]
