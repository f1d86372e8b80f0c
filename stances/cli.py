"""``python -m stances``: check the data, export CSV, check coverage of the seeds, diff two data folders."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import fmt, index, suggest
from .dates import parse_day
from .load import DEFAULT_DATA_DIR, data_dir_from_env, load_dataset
from .problems import DataError


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # the reader stopped early (`stances suggest | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if not args.needs_data:
        return args.run(args)
    try:
        ds = load_dataset(args.data)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return 1
    try:
        return args.run(ds, args)
    except (KeyError, ValueError) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2


def _check(ds, args) -> int:
    events = sum(len(r.events) for r in ds.records.values())
    print(
        f"ok: {len(ds.articles)} articles, {len(ds.countries)} countries, "
        f"{len(ds.records) - len(ds.countries)} organisations, {events} events, "
        f"{len(ds.mentions.mentions)} mentions"
    )
    return 0


def _export(ds, args) -> int:
    from .asof import evidence_horizon
    from .export import events_frame, snapshot_frame, to_csv

    if args.table == "snapshot":
        if args.as_of is None:
            raise ValueError("export snapshot needs --as-of YYYY-MM-DD")
        _check_alliances(ds, args.alliance)
        day = parse_day(args.as_of)
        horizon = evidence_horizon(ds)
        if horizon is not None and day > horizon:
            print(
                f"warning: {day} is after the evidence horizon {horizon} (the latest article); "
                f"the snapshot shows what the sources say up to {horizon}, not what held on {day}",
                file=sys.stderr,
            )
        text = to_csv(snapshot_frame(ds, day, args.alliance))
    elif args.table == "changes":
        from .changes import changes_between, changes_frame

        if args.start is None or args.end is None:
            raise ValueError("export changes needs --from YYYY-MM-DD and --to YYYY-MM-DD")
        _check_alliances(ds, args.alliance)
        text = to_csv(changes_frame(changes_between(ds, parse_day(args.start), parse_day(args.end), args.alliance)))
    else:
        text = to_csv(events_frame(ds))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _check_alliances(ds, names) -> None:
    from .alliances import alliance_names

    for name in names:
        if name not in alliance_names(ds):
            raise KeyError(f"unknown alliance '{name}'; known: {', '.join(alliance_names(ds))}")


def _coverage(ds, args) -> int:
    from .coverage import coverage_rows, mention_problems

    rows = coverage_rows(ds)
    for row in rows:
        print(
            f"{row['status']:8} {row['iso3']} {row['country']:28} {row['times']:4}x  {row['terms']}"
            f"  (first at {row['first']})"
        )
    missing = [r for r in rows if r["status"] == "missing"]
    print(f"{len(rows)} countries named; {len(missing)} with neither a record nor a mention")
    wrong = mention_problems(ds)
    for problem in wrong:
        print(problem)
    return 1 if missing or wrong else 0


def _diff(args) -> int:
    from .diff import diff

    loaded = []
    for folder in (args.old, args.new):
        try:
            loaded.append(load_dataset(folder))
        except DataError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"{folder}: {len(exc.problems)} problem(s) found", file=sys.stderr)
            return 1
    print("\n".join(diff(*loaded).lines()))
    return 0


def _schema(args) -> int:
    from .schemas import write_schemas

    for path in write_schemas(args.out):
        print(f"wrote {path}")
    return 0


def _package(ds, args) -> int:
    from .package import changelog_version, write_release

    version = args.version or changelog_version(args.changelog)
    changed = write_release(ds, args.out, version)
    for path in changed:
        print(f"wrote {path}")
    print(f"release {version} in {args.out}: {len(changed)} file(s) changed")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m stances", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data",
        type=Path,
        default=data_dir_from_env(),
        help="data folder (default: $STANCES_DATA_DIR or the project's data/)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", parents=[common], help="validate the data; list every problem")
    check.set_defaults(run=_check, needs_data=True)
    export = sub.add_parser("export", parents=[common], help="write CSV to stdout or --out")
    export.add_argument("table", choices=["snapshot", "events", "changes"])
    export.add_argument("--as-of", help="snapshot date, YYYY-MM-DD")
    export.add_argument("--from", dest="start", help="changes after this date, YYYY-MM-DD")
    export.add_argument("--to", dest="end", help="changes up to this date, YYYY-MM-DD")
    export.add_argument(
        "--alliance", action="append", default=[], help="keep members of this alliance on the date (repeatable)"
    )
    export.add_argument("--out", help="file to write instead of stdout")
    export.set_defaults(run=_export, needs_data=True)
    coverage = sub.add_parser(
        "coverage", parents=[common], help="countries named in the seeds, with record or mention status"
    )
    coverage.set_defaults(run=_coverage, needs_data=True)
    compare = sub.add_parser(
        "diff", help="events added, removed or modified (by id) and countries whose map changes, OLD to NEW"
    )
    compare.add_argument("old", type=Path, help="the data folder before")
    compare.add_argument("new", type=Path, help="the data folder after")
    compare.set_defaults(run=_diff, needs_data=False)
    schema = sub.add_parser("schema", help="write the JSON Schemas of the data files (for editors)")
    schema.add_argument(
        "--out", type=Path, default=DEFAULT_DATA_DIR.parent / "schemas", help="folder (default: schemas/)"
    )
    schema.set_defaults(run=_schema, needs_data=False)
    package = sub.add_parser(
        "package", parents=[common], help="write the published release: both CSVs and datapackage.json"
    )
    package.add_argument(
        "--out", type=Path, default=DEFAULT_DATA_DIR.parent / "release", help="folder (default: release/)"
    )
    package.add_argument("--version", help="release version (default: the newest heading of --changelog)")
    package.add_argument(
        "--changelog", type=Path, default=DEFAULT_DATA_DIR.parent / "CHANGELOG.md", help="the data changelog"
    )
    package.set_defaults(run=_package, needs_data=True)
    for module in (index, suggest, fmt):
        module.register(sub, common)
    return parser
