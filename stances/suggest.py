"""``stances suggest``: uncited sentences that may state a country's stance."""

from __future__ import annotations

import argparse


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add the ``suggest`` subcommand to the CLI's subparsers."""
    parser = sub.add_parser("suggest", parents=[common], help="uncited sentences that may state a country's stance")
    parser.set_defaults(run=run, needs_data=False)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("suggest")
