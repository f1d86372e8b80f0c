"""A tiny, valid data folder in tmp_path that a test can copy-and-break one file at a time."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

from stances import load_dataset  # noqa: E402

SEED = "wire_001.txt"
NBSP = "\u00a0"
TODAY = dt.date(2024, 6, 30)  # the day the tests check the data as of (nothing may be dated later)

# Fake seed compilation; every non-blank line belongs to an article or a part.
SEED_TEXT = "\n".join(
    [
        "TELECOM WIRE DIGEST, issue 7",  # 1 header
        "",  # 2
        "UK opens review of Huawei role in 5G",  # 3 uk-review
        "By a staff reporter",  # 4
        "The government has opened a review of Huawei equipment in 5G networks.",  # 5
        "Officials said the review would report within months; Chinese suppliers are in scope.",  # 6
        "",  # 7
        "UK to keep Huawei out of the 5G core",  # 8 uk-core
        "The National Security Council agreed to keep Huawei out of the core.",  # 9
        "A minister said: \u201cIt\u2019s a balanced decision.\u201d",  # 10
        "",  # 11
        "Canberra shuts Huawei out of 5G",  # 12 au-ban
        "The government on 23 August barred \u201chigh-risk vendors\u201d from 5G networks.",  # 13
        "",  # 14
        "Berlin\u2019s \u201copen\u201d 5G rules",  # 15 de-rules
        "Germany\u2019s security catalogue, published in October, names no vendor.",  # 16
        f"The BSI will test equipment from 1{NBSP}January.",  # 17
        "",  # 18
        "Berlin confirms open 5G rules",  # 19 de-followup
        "The rules take effect as planned, the ministry said.",  # 20
        "",  # 21
        "Ottawa weighs Huawei",  # 22 ca-review
        "Ottawa said in November it was studying the security of 5G suppliers.",  # 23
        "",  # 24
        "BT to strip Huawei from its core",  # 25 bt-core
        "BT said it would remove Huawei equipment from the core of its network.",  # 26
        "",  # 27
        "Ottawa bars Huawei",  # 28 ca-ban
        "The government said it had decided during the year to bar Huawei from 5G.",  # 29
        "",  # 30
        "London orders Huawei removal by 2027",  # 31 uk-ban
        "The government banned new Huawei equipment from 2021 and ordered removal by 2027.",  # 32
        "",  # 33
        "Brussels publishes 5G toolbox",  # 34 eu-toolbox
        "The Commission published a toolbox of security measures on 29 January.",  # 35
        "",  # 36
        "End of digest. Unsubscribe at example.invalid",  # 37 footer
        "",
    ]
)

ARTICLES = f"""\
seeds_dir: ../seeds
seeds:
  - file: {SEED}
    sha256: {hashlib.sha256(SEED_TEXT.encode("utf-8")).hexdigest()}
    origin: A made-up digest for the tests.
    parts:
      - lines: [1, 2]
        kind: header
        note: Digest title.
      - lines: [37, 37]
        kind: footer
        note: Sign-off.
articles:
  - id: uk-review
    seed: {SEED}
    headline: UK opens review of Huawei role in 5G
    lines: [3, 7]
    date_precision: day
    date: '2018-12-10'
    date_basis: printed
    publisher: Telecom Wire
    relevant: true
  - id: uk-core
    seed: {SEED}
    headline: UK to keep Huawei out of the 5G core
    lines: [8, 11]
    date_precision: day
    date: '2019-04-24'
    date_basis: printed
    publisher: Telecom Wire
    relevant: true
  - id: au-ban
    seed: {SEED}
    headline: Canberra shuts Huawei out of 5G
    lines: [12, 14]
    date_precision: month
    date: '2018-08'
    date_basis: printed
    relevant: true
  - id: de-rules
    seed: {SEED}
    headline: Berlin’s “open” 5G rules
    lines: [15, 18]
    date_precision: day
    date: '2019-10-15'
    date_basis: printed
    relevant: true
  - id: de-followup
    seed: {SEED}
    headline: Berlin confirms open 5G rules
    lines: [19, 21]
    date_precision: day
    date: '2019-11-20'
    date_basis: printed
    relevant: true
  - id: ca-review
    seed: {SEED}
    headline: Ottawa weighs Huawei
    lines: [22, 24]
    date_precision: day
    date: '2019-01-15'
    date_basis: printed
    relevant: true
  - id: bt-core
    seed: {SEED}
    headline: BT to strip Huawei from its core
    lines: [25, 27]
    date_precision: day
    date: '2019-06-10'
    date_basis: printed
    relevant: true
  - id: ca-ban
    seed: {SEED}
    headline: Ottawa bars Huawei
    lines: [28, 30]
    date_precision: day
    date: '2023-02-01'
    date_basis: inferred
    date_note: Fake; the digest's send date.
    relevant: true
  - id: uk-ban
    seed: {SEED}
    headline: London orders Huawei removal by 2027
    lines: [31, 33]
    date_precision: day
    date: '2020-07-14'
    date_basis: printed
    relevant: true
  - id: eu-toolbox
    seed: {SEED}
    headline: Brussels publishes 5G toolbox
    lines: [34, 36]
    date_precision: day
    date: '2020-01-29'
    date_basis: printed
    relevant: true
"""

ALLIANCES = """\
alliances:
  - name: EU
    full_name: European Union
    sources:
      - title: EU countries
        url: https://example.invalid/eu
    members:
      - {iso3: DEU, joined: '1958-01-01'}
      - {iso3: GBR, joined: '1973-01-01', left: '2020-01-31'}
  - name: NATO
    full_name: North Atlantic Treaty Organization
    sources:
      - title: NATO members
        url: https://example.invalid/nato
    members:
      - {iso3: CAN, joined: '1949-08-24'}
      - {iso3: GBR, joined: '1949-08-24'}
      - {iso3: DEU, joined: '1955-05-06'}
      - {iso3: MKD, joined: '2020-03-27'}
  - name: Five Eyes
    full_name: Five Eyes intelligence alliance
    sources:
      - title: UKUSA
        url: https://example.invalid/ukusa
    members:
      - {iso3: GBR, joined: '1946-03-05'}
      - {iso3: CAN, joined: '1948'}
      - {iso3: AUS, joined: '1956'}
"""

NAMES = """\
names:
  CHN: [Chinese]
  GBR: [UK, British]
  DEU: [German]
"""

MENTIONS = """\
mentions:
  - iso3: CHN
    reason: Home of Huawei; no stance on it.
    articles: [uk-review]
"""

GBR = """\
iso3: GBR
events:
  - id: GBR-e1
    date_precision: month
    date: '2018-12'
    stance: review
    applies_to: 5g
    actor_level: government
    actor: UK government
    status: official
    summary: Review of Huawei in 5G opened.
    sources:
      - article: uk-review
        quote: The government has opened a review of Huawei equipment
  - id: GBR-e2
    date_precision: day
    date: '2019-04-24'
    stance: core-only exclusion
    applies_to: 5g
    actor_level: government
    actor: National Security Council
    scope: 5G core
    status: reported
    confidence: medium
    summary: Huawei kept out of the 5G core.
    sources:
      - article: uk-core
        quote: "A minister said: “It’s a balanced decision.”"
      - article: uk-core
        quote: “It’s a balanced decision.”
  - id: GBR-e3
    date_precision: day
    date: '2019-06-10'
    stance: ban
    applies_to: 5g
    actor_level: operator
    actor: BT
    scope: network core
    status: official
    summary: BT removes Huawei from its core.
    sources:
      - article: bt-core
        quote: remove Huawei equipment from the core
  - id: GBR-e4
    date_precision: day
    date: '2020-07-14'
    stance: ban
    applies_to: 5g
    actor_level: government
    actor: UK government
    status: official
    summary: New Huawei equipment banned from 2021; removal by 2027.
    notes: Removal deadline 2027.
    sources:
      - article: uk-ban
        quote: The government banned new Huawei equipment from 2021
"""

AUS = """\
iso3: AUS
events:
  - id: AUS-e5
    date_precision: day
    date: '2018-08-23'
    stance: ban
    applies_to: 5g
    actor_level: government
    actor: Australian government
    status: official
    summary: High-risk vendors barred from 5G.
    sources:
      - article: au-ban
        quote: barred “high-risk vendors” from 5G
"""

DEU = f"""\
iso3: DEU
events:
  - id: DEU-e6
    date_precision: year
    date: '2019'
    stance: allow
    applies_to: 5g
    actor_level: government
    actor: Federal government
    status: official
    summary: Security catalogue names no vendor.
    sources:
      - article: de-followup
        quote: The rules take effect as planned
      - article: de-rules
        quote: names no vendor
  - id: DEU-e7
    date_precision: month
    date: '2019-10'
    stance: review
    applies_to: 5g
    actor_level: agency
    actor: BSI
    status: official
    summary: BSI to test 5G equipment.
    sources:
      - article: de-rules
        quote: "The BSI will test equipment from 1{NBSP}January."
"""

CAN = """\
iso3: CAN
events:
  - id: CAN-e8
    date_precision: month
    date: '2018-11'
    stance: review
    applies_to: 5g
    actor_level: government
    actor: Public Safety Canada
    status: reported
    confidence: low
    summary: Security review of 5G suppliers.
    sources:
      - article: ca-review
        quote: studying the security of 5G suppliers
  - id: CAN-e9
    date_precision: year
    date: '2022'
    stance: ban
    applies_to: 5g
    actor_level: government
    actor: Government of Canada
    status: official
    summary: Huawei barred from 5G.
    sources:
      - article: ca-ban
        quote: decided during the year to bar Huawei
"""

EC = """\
id: european-commission
name: European Commission
events:
  - id: european-commission-e10
    date_precision: day
    date: '2020-01-29'
    stance: review
    applies_to: 5g
    actor_level: government
    actor: European Commission
    status: official
    summary: 5G security toolbox published.
    sources:
      - article: eu-toolbox
        quote: published a toolbox of security measures
"""

FILES = {
    f"seeds/{SEED}": SEED_TEXT,
    "data/articles.yaml": ARTICLES,
    "data/alliances.yaml": ALLIANCES,
    "data/country_names.yaml": NAMES,
    "data/mentions.yaml": MENTIONS,
    "data/countries/GBR.yaml": GBR,
    "data/countries/AUS.yaml": AUS,
    "data/countries/DEU.yaml": DEU,
    "data/countries/CAN.yaml": CAN,
    "data/organisations/european-commission.yaml": EC,
}


class DataFolder:
    """``root/seeds`` and ``root/data``; paths given to the helpers are relative to ``root``."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"

    def path(self, rel: str) -> Path:
        return self.root / rel

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def write(self, rel: str, content: str | bytes) -> None:
        path = self.path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    def replace(self, rel: str, old: str, new: str) -> None:
        """Replace the one occurrence of ``old`` in ``rel`` (fails loudly if not exactly one)."""
        text = self.read(rel)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
        self.write(rel, text.replace(old, new))

    def replace_in_seed(self, old: str, new: str) -> None:
        """Edit the seed (as a new compilation would read) and index its new checksum."""
        before = hashlib.sha256(self.path(f"seeds/{SEED}").read_bytes()).hexdigest()
        self.replace(f"seeds/{SEED}", old, new)
        after = hashlib.sha256(self.path(f"seeds/{SEED}").read_bytes()).hexdigest()
        self.replace("data/articles.yaml", before, after)

    def delete(self, rel: str) -> None:
        self.path(rel).unlink()

    def line_of(self, rel: str, needle: str) -> int:
        """1-based line of the one line in ``rel`` containing ``needle``."""
        text = self.path(rel).read_bytes().decode("utf-8", "replace")
        found = [n for n, line in enumerate(text.split("\n"), 1) if needle in line]
        assert len(found) == 1, f"{needle!r} is on lines {found} of {rel}"
        return found[0]

    def load(self, today: dt.date = TODAY):
        return load_dataset(self.data, today=today)


@pytest.fixture
def make_data(tmp_path):
    """``make_data(**{"data/countries/GBR.yaml": text_or_None})``: the valid folder, with overrides."""

    def make(overrides: dict[str, str | bytes | None] | None = None) -> DataFolder:
        folder = DataFolder(tmp_path)
        for rel, text in {**FILES, **(overrides or {})}.items():
            if text is not None:
                folder.write(rel, text)
        return folder

    return make


@pytest.fixture
def folder(make_data) -> DataFolder:
    return make_data()


@pytest.fixture
def ds(folder):
    return folder.load()


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, driven by Playwright, for one test module."""
    from playwright.sync_api import sync_playwright

    from browser_support import launch_chromium

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
