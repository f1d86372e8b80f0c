"""``stances fmt``: rewrite the data YAML in its canonical layout."""

from __future__ import annotations

import argparse


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add the ``fmt`` subcommand to the CLI's subparsers."""
    parser = sub.add_parser("fmt", parents=[common], help="rewrite the data YAML in its canonical layout")
    parser.set_defaults(run=run, needs_data=False)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("fmt")
