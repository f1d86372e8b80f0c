"""Dates known to a day, a month or a year."""

from __future__ import annotations

import calendar
import datetime as dt
import re

PRECISIONS = ("day", "month", "year")
_FORMS = {
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "year": re.compile(r"^\d{4}$"),
}


def precision_of(text: str) -> str | None:
    """The precision that ``text`` is written in, or None: ``precision_of('2018-11') == 'month'``."""
    for name, form in _FORMS.items():
        if form.fullmatch(text):
            return name
    return None


def parse_period(text: str, precision: str | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of a partial date: ``parse_period('2018-11')`` is 1 to 30 November 2018.

    Raises ValueError with a reader's message when ``text`` is not a real date or is not
    written in ``precision``.
    """
    found = precision_of(text)
    if found is None:
        raise ValueError(f"'{text}' is not a date of the form YYYY-MM-DD, YYYY-MM or YYYY")
    if precision and precision != found:
        raise ValueError(
            f"'{text}' is written as a {found} but date_precision is {precision}; write {_example(text, precision)}"
        )
    parts = [int(p) for p in text.split("-")]
    try:
        if found == "day":
            day = dt.date(*parts)
            return day, day
        if found == "month":
            year, month = parts
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None


def _example(text: str, precision: str) -> str:
    digits = text.split("-")
    keep = {"day": 3, "month": 2, "year": 1}[precision]
    shown = "-".join(digits[:keep]) if len(digits) >= keep else text
    return f"'{shown}'" if len(digits) >= keep else f"a {precision} date"


def parse_day(text: str) -> dt.date:
    """A full ISO date, for command-line and URL arguments."""
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"'{text}' is not a date of the form YYYY-MM-DD") from None
