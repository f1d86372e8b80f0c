import datetime as dt
import time

import pytest

from stances import DataError, Problem, load_dataset
from stances.yamlio import MAX_BYTES

from bad_inputs import AL, CASES, A, G, M, apply
from conftest import AUS, EC, GBR, SEED, TODAY


def problems_of(folder) -> list[Problem]:
    with pytest.raises(DataError) as caught:
        folder.load()
    return caught.value.problems


def test_valid_fixture_loads(ds):
    assert sorted(ds.records) == ["AUS", "CAN", "DEU", "GBR", "european-commission"]
    assert sorted(ds.countries) == ["AUS", "CAN", "DEU", "GBR"]
    assert len(ds.articles) == 10
    assert [m.iso3 for m in ds.mentions.mentions] == ["CHN"]


@pytest.mark.parametrize("edits, file, line, fragment", CASES)
def test_broken_input_is_reported_at_its_line(folder, edits, file, line, fragment):
    apply(folder, edits)
    expected_line = line if isinstance(line, int) else folder.line_of(file, line)
    problems = problems_of(folder)
    hits = [p for p in problems if p.file == file and p.line == expected_line and fragment in p.message]
    assert hits, f"no {file}:{expected_line}: ...{fragment}... in:\n" + "\n".join(map(str, problems))


@pytest.mark.parametrize(
    "old, new, hint",
    [
        ("quote: “It’s a balanced", "quote: “It's a balanced", True),
        ("quote: remove Huawei equipment from the core", "quote: remove Huawei kit from the core", False),
    ],
)
def test_quote_hint_only_for_typographic_differences(folder, old, new, hint):
    folder.replace(G, old, new)
    [problem] = problems_of(folder)
    assert ("differs only in quote marks" in problem.message) is hint


def test_python_tag_is_an_error_and_never_runs(folder, tmp_path):
    marker = tmp_path / "pwned"
    folder.replace(G, "notes: Removal deadline 2027.", f"notes: !!python/object/apply:os.system ['touch {marker}']")
    problems = problems_of(folder)
    assert problems == [
        Problem(
            G,
            folder.line_of(G, "notes: !!python"),
            "unsupported YAML tag tag:yaml.org,2002:python/object/apply:os.system",
        )
    ]
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "iso3: !!python/object:builtins.dict {a: 1}\n",
        "iso3: !!python/name:os.system\n",
        "iso3: !!set {a, b}\n",
    ],
)
def test_any_non_plain_tag_is_an_error(folder, text):
    folder.write(G, text)
    [problem] = problems_of(folder)
    assert (problem.file, problem.line) == (G, 1)
    assert problem.message.startswith("unsupported YAML tag")


def test_huge_file_is_refused_quickly(folder):
    folder.write(G, GBR + "# " + "x" * MAX_BYTES + "\n")
    started = time.monotonic()
    problems = problems_of(folder)
    assert time.monotonic() - started < 5
    assert [(p.file, p.line) for p in problems] == [(G, 1)]
    assert f"the limit is {MAX_BYTES:,}" in problems[0].message


def test_every_problem_in_every_file_is_reported_at_once(folder):
    folder.replace(G, "stance: core-only exclusion", "stance: core only")
    folder.replace("data/countries/CAN.yaml", "article: ca-ban", "article: ca-bam")
    folder.replace("data/countries/AUS.yaml", "iso3: AUS", "iso3: AU")
    folder.replace("data/countries/DEU.yaml", "date: '2019-10'", "date: '2019-13'")
    folder.replace(M, "iso3: CHN", "iso3: YUG")
    folder.replace(AL, "left: '2020-01-31'", "left: '1972-12-31'")
    folder.write("data/organisations/european-commission.yaml", "")
    problems = problems_of(folder)
    assert [(p.file, p.line) for p in problems] == [
        ("data/alliances.yaml", folder.line_of(AL, "left: '1972")),
        ("data/countries/AUS.yaml", 1),
        ("data/countries/CAN.yaml", folder.line_of("data/countries/CAN.yaml", "ca-bam")),
        ("data/countries/DEU.yaml", folder.line_of("data/countries/DEU.yaml", "'2019-13'")),
        ("data/countries/GBR.yaml", folder.line_of(G, "stance: core only")),
        ("data/mentions.yaml", 2),
        ("data/organisations/european-commission.yaml", 1),
    ]


def test_broken_article_index_still_reports_record_problems(folder):
    # Cross-file checks need the index; the records' own problems must still show.
    folder.replace(A, "seeds_dir: ../seeds", "seeds_dir: ../seeds\nseeds_dri: x")
    folder.replace(G, "stance: core-only exclusion", "stance: Ban")
    files = {p.file for p in problems_of(folder)}
    assert files == {A, G}


def test_problems_are_sorted_unique_and_print_as_file_line_message():
    error = DataError([Problem("b.yaml", 2, "y"), Problem("a.yaml", 9, "x"), Problem("b.yaml", 2, "y")])
    assert error.problems == [Problem("a.yaml", 9, "x"), Problem("b.yaml", 2, "y")]
    assert str(error) == "a.yaml:9: x\nb.yaml:2: y"


def test_missing_data_folder(tmp_path):
    with pytest.raises(DataError) as caught:
        load_dataset(tmp_path / "nowhere")
    assert [p.message for p in caught.value.problems] == ["data folder not found"]


# --- dates after the day of the check -----------------------------------------------------


@pytest.mark.parametrize(
    "precision, date, future",
    [
        ("day", "2024-06-30", False),  # conftest.TODAY itself
        ("day", "2024-07-01", True),
        ("month", "2024-06", False),  # may be any day of June: not provably after the 30th
        ("month", "2024-07", True),
        ("year", "2024", False),
        ("year", "2025", True),
    ],
)
def test_event_dated_after_the_day_of_the_check(folder, precision, date, future):
    folder.replace(
        "data/countries/CAN.yaml",
        "date_precision: year\n    date: '2022'",
        f"date_precision: {precision}\n    date: '{date}'",
    )
    folder.replace(A, "date: '2023-02-01'", "date: '2099-02-01'")  # keep the event before its article
    where = folder.line_of("data/countries/CAN.yaml", f"date: '{date}'")
    expected = Problem(
        "data/countries/CAN.yaml", where, f"event dated {date} is in the future (the data is checked as of {TODAY})"
    )
    problems = problems_of(folder)
    assert (expected in problems) is future, problems


@pytest.mark.parametrize(
    "date, future", [("2024-06-30", False), ("2024-07-01", True), ("2024-06", False), ("2024-07", True)]
)
def test_article_dated_after_the_day_of_the_check(folder, date, future):
    precision = "day" if len(date) == 10 else "month"
    folder.replace(A, "date_precision: day\n    date: '2023-02-01'", f"date_precision: {precision}\n    date: '{date}'")
    if future:
        [problem] = problems_of(folder)
        assert problem == Problem(
            A,
            folder.line_of(A, f"date: '{date}'"),
            f"article 'ca-ban' is dated {date}, in the future (the data is checked as of {TODAY})",
        )
    else:
        folder.load()


def test_the_day_of_the_check_defaults_to_the_real_date(folder):
    """Without ``today`` the loader checks against the real date (so 2099 is always future)."""
    today = dt.date.today()
    folder.replace(A, "date: '2023-02-01'", f"date: '{today}'")
    folder.replace("data/countries/CAN.yaml", "date: '2022'", f"date: '{today.year}'")
    load_dataset(folder.data)  # an article of today, an event of this year: not in the future
    folder.replace("data/countries/CAN.yaml", f"date: '{today.year}'", "date: '2099'")
    with pytest.raises(DataError) as caught:
        load_dataset(folder.data)
    assert f"event dated 2099 is in the future (the data is checked as of {today})" in str(caught.value)


# --- one broken file loses nothing of the others ------------------------------------------

EC_FILE = "data/organisations/european-commission.yaml"
CANARY = "duplicate event: same date, actor, stance and scope as the event at line 4"


@pytest.mark.parametrize("edits, file, line, fragment", CASES)
def test_a_broken_input_hides_no_problem_of_another_file(folder, edits, file, line, fragment):
    """Each bad input, plus an unrelated problem in another file: both are reported."""
    folder.write(EC_FILE, EC + EC.split("events:\n", 1)[1])  # the organisation's event twice
    apply(folder, edits)
    problems = problems_of(folder)
    assert Problem(EC_FILE, 16, CANARY) in problems, "\n".join(map(str, problems))


RECORD_CASES = [case for case in CASES if case.values[1].startswith(("data/countries/", "data/organisations/"))]


@pytest.mark.parametrize("edits, file, line, fragment", RECORD_CASES)
def test_a_broken_record_names_only_its_own_file(folder, edits, file, line, fragment):
    apply(folder, edits)
    assert {p.file for p in problems_of(folder)} == {file}


def test_broken_article_index_keeps_the_checks_that_need_no_articles(folder):
    folder.replace(A, "id: uk-review", "id: UK_review")  # articles.yaml does not load
    folder.write("data/countries/AUS.yaml", AUS + AUS.split("events:\n", 1)[1])
    folder.replace(AL, "left: '2020-01-31'", "left: '1972-12-31'")
    folder.replace(M, "mentions:\n", "mentions:\n  - {iso3: GBR, reason: Named in passing.}\n")
    problems = problems_of(folder)
    assert [(p.file, p.message.split(":")[0]) for p in problems] == [
        (AL, "GBR leaves EU before joining"),
        (A, "articles.0.id"),
        ("data/countries/AUS.yaml", "duplicate event"),
        ("data/countries/AUS.yaml", "event id 'AUS-e5' is used twice (first at data/countries/AUS.yaml"),
        (M, "GBR has a record; a mention is only for countries without one"),
    ]
    # and no "unknown article" noise for the articles it could not read
    assert not any("unknown article" in p.message for p in problems)


def test_missing_seed_still_checks_event_dates_against_articles(folder):
    folder.delete(f"seeds/{SEED}")  # no quote can be checked now, but the dates still can
    folder.replace(G, "date: '2020-07-14'", "date: '2020-07-15'")
    assert [(p.file, p.message) for p in problems_of(folder)] == [
        (A, f"seed file not found: seeds/{SEED}"),
        (G, "event dated 2020-07-15 is after article 'uk-ban' (2020-07-14) that reports it"),
    ]
