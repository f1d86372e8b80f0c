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
    return getattr(country, "common_name", None) or country.name


class _Dated(_Strict):
    """A date with an explicit precision; the precision must match how the date is written."""

    date_precision: Precision
    date: str

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str, info) -> str:
        parse_period(value, info.data.get("date_precision"))
        return value

    @property
    def start(self) -> dt.date:
        return parse_period(self.date)[0]

    @property
    def end(self) -> dt.date:
        return parse_period(self.date)[1]


class Source(_Strict):
    article: Text
    quote: Text


class Event(_Dated):
    date_note: str | None = None
    stance: Stance | None = None
    actor_level: ActorLevel
    actor: Text
    applies_to: AppliesTo | None = None
    scope: str | None = None
    status: Literal["official", "reported"]
    confidence: Literal["high", "medium", "low"] = "high"
    summary: Text
    sources: list[Source] = Field(min_length=1)
    notes: str | None = None
    # Filled in by validate.py: the YAML line, and the first day the sources prove the event.
    _line: int = PrivateAttr(default=0)
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
        return self._effective or self.end


class CountryRecord(_Strict):
    iso3: Iso3
    notes: str | None = None
    events: list[Event] = Field(min_length=1)

    @property
    def key(self) -> str:
        return self.iso3

    @property
    def name(self) -> str:
        return country_name(self.iso3)

    @property
    def is_country(self) -> bool:
        return True


class OrganisationRecord(_Strict):
    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)]
    name: Text
    notes: str | None = None
    events: list[Event] = Field(min_length=1)

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
    parts: list[SeedPart] = []


class Article(_Strict):
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

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str | None, info) -> str | None:
        if value is not None:
            parse_period(value, info.data.get("date_precision"))
        return value

    @property
    def end(self) -> dt.date | None:
        return parse_period(self.date)[1] if self.date else None

    @property
    def start(self) -> dt.date | None:
        return parse_period(self.date)[0] if self.date else None


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
    joined: str
    left: str | None = None
    note: str | None = None

    @field_validator("joined", "left")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None:
            parse_period(value)
        return value


class Citation(_Strict):
    title: Text
    url: Text
    note: str | None = None


class Alliance(_Strict):
    name: Text
    full_name: Text
    sources: list[Citation] = Field(min_length=1)
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
