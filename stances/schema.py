"""The shape of every data file, as pydantic models. Cross-file rules live in validate.py."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated, Literal, get_args

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .dates import parse_period

Stance = Literal["ban", "core-only exclusion", "review", "allow"]
STANCES: tuple[str, ...] = get_args(Stance)
ActorLevel = Literal["government", "agency", "operator"]
LEVELS: tuple[str, ...] = get_args(ActorLevel)
Precision = Literal["day", "month", "year"]
# What a stance covers: the country's 5G networks (or its telecom networks as a whole), a
# narrower or different thing (one network's contracts, government purchases, devices), or
# an extent the text does not give ("curbs"). Only "5g" colours the map as a 5G stance.
AppliesTo = Literal["5g", "other", "unspecified"]
APPLIES_TO: tuple[str, ...] = get_args(AppliesTo)
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # article and organisation ids: "uk-to-allow-huawei"
# An event's id: its record's key, the date first written, a word or two ("GBR-2019-04-23-nsc").
EVENT_ID_PATTERN = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"
Text = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]
LineRange = tuple[Annotated[int, Field(ge=1)], Annotated[int, Field(ge=1)]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


def check_iso3(code: str) -> str:
    """Accept a current ISO 3166-1 alpha-3 code; explain retired and unknown ones."""
    if pycountry.countries.get(alpha_3=code) is not None and code.isupper():
        return code
    retired = pycountry.historic_countries.get(alpha_3=code)
    if retired is not None:
        raise ValueError(f"'{code}' is a retired ISO code ({retired.name}, withdrawn {retired.withdrawal_date})")
    raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-3 country code")


Iso3 = Annotated[str, AfterValidator(check_iso3)]


@functools.cache
def country_name(iso3: str) -> str:
    """Display name: pycountry's common name where it has one ('Taiwan'), else its name.
    Cached: the sorting by name in the snapshot, timeline and record list asks it often."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise KeyError(f"'{iso3}' is not an ISO 3166-1 alpha-3 country code")
    return getattr(country, "common_name", None) or country.name


def _real_period(text: str) -> str:
    parse_period(text)
    return text


# A date known to a day, a month or a year: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'.
PartialDate = Annotated[str, AfterValidator(_real_period)]


class _Dated(_Strict):
    """A partial date with its stated precision (they must agree), and the first and last
    day it can mean."""

    date_precision: Precision | None = None
    date: str | None = None

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            parse_period(value, info.data.get("date_precision"))
        return value

    @functools.cached_property
    def period(self) -> tuple[dt.date, dt.date] | None:
        return parse_period(self.date) if self.date else None

    @property
    def start(self) -> dt.date:
        if self.period is None:
            raise ValueError("undated")
        return self.period[0]

    @property
    def end(self) -> dt.date:
        if self.period is None:
            raise ValueError("undated")
        return self.period[1]


class Source(_Strict):
    article: Text
    quote: Text


class Event(_Dated):
    id: Annotated[str, StringConstraints(pattern=EVENT_ID_PATTERN)]
    date_precision: Precision
    date: str
    date_note: str | None = None
    stance: Stance | None = None
    applies_to: AppliesTo | None = None
    actor_level: ActorLevel
    actor: Text
    scope: str | None = None
    status: Literal["official", "reported"]
    confidence: Literal["high", "medium", "low"] = "high"
    summary: Text
    sources: list[Source] = Field(min_length=1)
    notes: str | None = None
    # Derived when the record is built (see _Record): the YAML line, and the first day the
    # sources prove the event had happened.
    _line: int = PrivateAttr(default=1)
    _effective: dt.date | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _applies_to_goes_with_stance(self) -> Event:
        if self.stance is not None and self.applies_to is None:
            raise ValueError("an event with a stance needs applies_to: 5g, other or unspecified")
        if self.stance is None and self.applies_to is not None:
            raise ValueError("applies_to goes with a stance; a context event has neither")
        return self

    @property
    def line(self) -> int:
        return self._line

    @property
    def effective(self) -> dt.date:
        """The last day of its date or, if sooner, the last day of the earliest dated article
        that reports it (never before its first day)."""
        if self._effective is None:
            raise ValueError("an event's effective day is derived when its record is built")
        return self._effective


class _Record(_Strict):
    """A file of events. Built with ``model_validate(raw, context={"lines": ..., "article_ends":
    ...})``: the YAML line of each event and the end of each article's date, from which each
    event's line and effective day are derived once, here."""

    notes: str | None = None
    events: list[Event] = Field(min_length=1)

    @model_validator(mode="after")
    def _derive(self, info: ValidationInfo) -> _Record:
        context = info.context or {}
        lines, ends = context.get("lines", {}), context.get("article_ends", {})
        for i, event in enumerate(self.events):
            event._line = lines.get(("events", i), 1)
            reported = [ends[s.article] for s in event.sources if ends.get(s.article)]
            event._effective = max(min([event.end, *reported]), event.start)
        return self


class CountryRecord(_Record):
    iso3: Iso3

    @property
    def key(self) -> str:
        return self.iso3

    @property
    def name(self) -> str:
        return country_name(self.iso3)

    @property
    def is_country(self) -> bool:
        return True


class OrganisationRecord(_Record):
    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)]
    name: Text

    @property
    def key(self) -> str:
        return self.id

    @property
    def iso3(self) -> str:
        return ""

    @property
    def is_country(self) -> bool:
        return False


class SeedPart(_Strict):
    lines: LineRange
    kind: Literal["header", "footer", "related-links", "caption"]
    note: Text


class Seed(_Strict):
    file: Text
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]  # of the file as received
    origin: Text  # what is known of where the compilation comes from
    parts: list[SeedPart] = []


class Article(_Dated):
    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)]
    seed: Text
    headline: str | None
    lines: LineRange
    continued: list[LineRange] = []
    dateline: str | None = None
    dateline_line: int | None = None
    date_precision: Precision | None = None
    date: str | None = None
    date_basis: Literal["printed", "inferred"] | None = None
    date_note: str | None = None
    publisher: str | None = None
    relevant: bool
    note: str | None = None


class ArticleIndex(_Strict):
    seeds_dir: Text
    seeds: list[Seed] = Field(min_length=1)
    articles: list[Article] = Field(min_length=1)


class Mention(_Strict):
    iso3: Iso3
    reason: Text
    articles: list[str] = []


class MentionsFile(_Strict):
    mentions: list[Mention]


class Member(_Strict):
    iso3: Iso3
    joined: PartialDate
    left: PartialDate | None = None
    note: str | None = None


class AllianceSource(_Strict):
    title: Text
    url: Text
    note: str | None = None


class Alliance(_Strict):
    name: Text
    full_name: Text
    sources: list[AllianceSource] = Field(min_length=1)
    members: list[Member] = Field(min_length=1)


class AlliancesFile(_Strict):
    alliances: list[Alliance] = Field(min_length=1)


class NamesFile(_Strict):
    names: dict[str, list[Text]]

    @field_validator("names")
    @classmethod
    def _keys(cls, value: dict) -> dict:
        for code in value:
            check_iso3(code)
        return value
