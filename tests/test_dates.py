import datetime as dt

import pytest

from stances.dates import parse_day, parse_period, precision_of

D = dt.date


@pytest.mark.parametrize(
    "text, precision, period",
    [
        ("2019-04-24", "day", (D(2019, 4, 24), D(2019, 4, 24))),
        ("2020-02-29", "day", (D(2020, 2, 29), D(2020, 2, 29))),
        ("2018-11", "month", (D(2018, 11, 1), D(2018, 11, 30))),
        ("2020-02", "month", (D(2020, 2, 1), D(2020, 2, 29))),
        ("2019-02", "month", (D(2019, 2, 1), D(2019, 2, 28))),
        ("2019-12", "month", (D(2019, 12, 1), D(2019, 12, 31))),
        ("2019", "year", (D(2019, 1, 1), D(2019, 12, 31))),
        ("2019-04-24", None, (D(2019, 4, 24), D(2019, 4, 24))),
        ("2018-11", None, (D(2018, 11, 1), D(2018, 11, 30))),
    ],
)
def test_parse_period(text, precision, period):
    assert parse_period(text, precision) == period


@pytest.mark.parametrize(
    "text, precision",
    [
        ("2019-04-24", "day"),
        ("2019-04", "month"),
        ("2019", "year"),
        ("19-04-24", None),
        ("2019-4-24", None),
        ("2019/04/24", None),
        ("", None),
        ("April 2019", None),
    ],
)
def test_precision_of(text, precision):
    assert precision_of(text) == precision


@pytest.mark.parametrize(
    "text, precision, message",
    [
        ("2018-12-05", "month", "'2018-12-05' is written as a day but date_precision is month; write '2018-12'"),
        ("2018-12-05", "year", "'2018-12-05' is written as a day but date_precision is year; write '2018'"),
        ("2018-12", "day", "'2018-12' is written as a month but date_precision is day; write a day date"),
        ("2018", "month", "'2018' is written as a year but date_precision is month; write a month date"),
    ],
)
def test_precision_mismatch(text, precision, message):
    with pytest.raises(ValueError) as caught:
        parse_period(text, precision)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text",
    ["2019-02-29", "2021-02-29", "2019-04-31", "2019-13-01", "2019-00-10", "2019-01-00", "2019-13", "2019-00", "0000"],
)
def test_impossible_dates(text):
    with pytest.raises(ValueError, match=f"^'{text}' is not a real date$"):
        parse_period(text)


@pytest.mark.parametrize(
    "text", ["2019-1-5", "5 May 2019", "2019-05-05T00:00", " 2019", "2019-05-05 ", "2019-05-05\n", "2019\n"]
)
def test_malformed_dates(text):
    with pytest.raises(ValueError, match="is not a date of the form YYYY-MM-DD, YYYY-MM or YYYY"):
        parse_period(text)


def test_parse_day():
    assert parse_day("2020-02-29") == D(2020, 2, 29)


@pytest.mark.parametrize("text", ["2019-06", "2019-02-30", "yesterday", ""])
def test_parse_day_rejects(text):
    with pytest.raises(ValueError, match=f"'{text}' is not a date of the form YYYY-MM-DD"):
        parse_day(text)
