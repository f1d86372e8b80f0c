"""``stances index``: propose data/articles.yaml entries for a new seed compilation."""

from __future__ import annotations

import argparse


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add the ``index`` subcommand to the CLI's subparsers."""
    parser = sub.add_parser(
        "index", parents=[common], help="propose data/articles.yaml entries for a new seed compilation"
    )
    parser.set_defaults(run=run, needs_data=False)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("index")
