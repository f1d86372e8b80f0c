"""Alliance membership as of a date."""

from __future__ import annotations

import datetime as dt

from .dates import parse_period


def alliance_names(ds) -> list[str]:
    return [a.name for a in ds.alliances.alliances]


def members_as_of(ds, name: str, day: dt.date) -> set[str]:
    """ISO3 codes of ``name``'s members on ``day``.

    A member counts from the first day of ``joined`` to the last day of ``left``
    (the UK, ``left: '2020-01-31'``, is in the EU on 31 January 2020, not on 1 February).
    """
    alliance = next((a for a in ds.alliances.alliances if a.name == name), None)
    if alliance is None:
        raise KeyError(f"unknown alliance '{name}'; known: {', '.join(alliance_names(ds))}")
    members = set()
    for member in alliance.members:
        if parse_period(member.joined)[0] <= day and (member.left is None or day <= parse_period(member.left)[1]):
            members.add(member.iso3)
    return members


def members_of_any(ds, names, day: dt.date) -> set[str]:
    """Members on ``day`` of at least one of ``names``."""
    found: set[str] = set()
    for name in names:
        found |= members_as_of(ds, name, day)
    return found
