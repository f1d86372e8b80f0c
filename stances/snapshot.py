"""The snapshot of a day: each country's 5G stance, its restrictions outside 5G and its last
evidence, as one row. Every row a country can show is built once per Dataset
(``Dataset.snapshot_index``); the rows of a day are then a bisection per country."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping

from .alliances import members_of_any
from .asof import evidence_days, latest_on, outside_5g_in_force, outside_5g_timeline
from .dates import parse_period
from .schema import STANCES

NO_POSITION = "no recorded position"
OUTSIDE_ONLY = "restricted outside 5G only"
# What a country's row is drawn as: its 5G stance, else a restriction outside 5G, else none.
CATEGORIES: tuple[str, ...] = (*STANCES, OUTSIDE_ONLY, NO_POSITION)  # legend order, everywhere


def _articles(events) -> str:
    return "; ".join(dict.fromkeys(s.article for e in events for s in e.sources))


def outside_5g_text(event) -> str:
    """``ban: Government procurement (since 2018-12)``: one restriction outside 5G in words."""
    scope = event.scope or ("extent not stated" if event.applies_to == "unspecified" else "scope not stated")
    return f"{event.stance}: {scope} (since {event.date})"


def _snapshot_row(key: str, record, event, outside: list, last: str | None) -> dict:
    """A country's row: its 5G stance ``event`` (or None), the ``outside`` 5G events in force
    and the ``last`` evidence date. Fields starting with ``_`` are for the page, not the CSV."""
    row = {
        "iso3": key,
        "country": record.name,
        "stance": "",
        "applies_to": "",
        "since": "",
        "since_precision": "",
        "effective_from": "",
        "actor": "",
        "scope": "",
        "status": "",
        "confidence": "",
        "summary": "",
        "articles": "",
        "event_id": "",
        "last_evidence": last or "",
        "outside_5g": "; ".join(outside_5g_text(e) for e in outside),
        "outside_5g_articles": _articles(outside),
        "outside_5g_event_ids": "; ".join(e.id for e in outside),
        "_notes": "",
        "_last_end": parse_period(last)[1] if last else None,
    }
    if event is not None:
        row.update(
            stance=event.stance,
            applies_to=event.applies_to,
            since=event.date,
            since_precision=event.date_precision,
            effective_from=event.effective.isoformat(),
            actor=event.actor,
            scope=event.scope or "",
            status=event.status,
            confidence=event.confidence,
            summary=event.summary,
            articles=_articles([event]),
            event_id=event.id,
            _notes=event.notes or "",
        )
    return row


def unsure(status: str, confidence: str) -> bool:
    """Reported (not announced), or read with low confidence: the map marks such a stance."""
    return status == "reported" or confidence == "low"


def is_unsure(row: Mapping) -> bool:
    """A snapshot row whose 5G stance is unsure (see unsure)."""
    return bool(row["stance"]) and unsure(row["status"], row["confidence"])


def category_of(row: Mapping) -> str:
    """What a snapshot row is drawn as: its 5G stance, else OUTSIDE_ONLY or NO_POSITION."""
    return row["stance"] or (OUTSIDE_ONLY if row["outside_5g"] else NO_POSITION)


class SnapshotIndex:
    """Every snapshot row a country can show, in one list, built once per Dataset: a row
    from each day its 5G stance, its restrictions outside 5G or its last evidence change.
    The snapshot of a day is then a bisection per country."""

    def __init__(self, ds):
        # In name order: (key, the days its row changes, the number of its first row).
        self.countries: list[tuple[str, list[dt.date], int]] = []
        self.rows: list[dict] = []
        for key, record in sorted(ds.countries.items(), key=lambda kv: kv[1].name):
            stance_days, events = ds.timelines[key]
            evidence = evidence_days(ds, record)
            days = sorted(
                {*stance_days, *(e.effective for e in outside_5g_timeline(record)), *(end for end, _ in evidence)}
            )
            self.countries.append((key, days, len(self.rows)))
            self.rows.append(_snapshot_row(key, record, None, [], None))
            for day in days:
                at = bisect.bisect_right(stance_days, day)
                self.rows.append(
                    _snapshot_row(
                        key,
                        record,
                        events[at - 1] if at else None,
                        outside_5g_in_force(record, day),
                        latest_on(evidence, day),
                    )
                )

    def positions(self, ds, day: dt.date, alliances=(), categories=None) -> list[int]:
        """The numbers of the rows shown on ``day``, one per country kept (see snapshot_rows)."""
        keep = members_of_any(ds, alliances, day) if alliances else None
        wanted = None if categories is None else {c or NO_POSITION for c in categories}
        found = []
        for key, days, first in self.countries:
            if keep is None or key in keep:
                at = first + bisect.bisect_right(days, day)
                if wanted is None or category_of(self.rows[at]) in wanted:
                    found.append(at)
        return found
