"""``stances index``: propose data/articles.yaml entries for a new seed compilation.

A compilation is a text file of reprinted news articles, one paragraph a line. The indexer
reads its layout, not its meaning:

- a *dateline* is a line that is only a date, perhaps after "Updated", "Published" or
  "From" ("January 17, 2019", "Updated: 4-23-2019");
- a *headline* is a short line with no closing full stop, followed by a blank line. It is
  sure when a dateline stands next to it; the compilation's own habit decides which side
  (the headline above its dateline, or a stamp above the headline). A headline without a
  dateline is taken after two blank lines, or after one when it is written in Title Case like
  the compilation's dated headlines, and only when prose follows it;
- a paragraph opening with a wire dateline ("BERLIN — ") after two blank lines starts an
  article printed without a headline;
- text above the first article is the *header*; a "Related Article:" or "See also:" line
  starts a *related-links* list; a run of short lines at the end with a sign-off ("Leave a
  Reply", "Comments") is the *footer*.

Each article runs to the last non-blank line before the next one. What the layout cannot
settle is marked for the curator: an ``inferred`` date with its ``date_note``, a ``note`` on
a doubtful boundary, relevance or publisher, and an origin that says it is not yet described.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from ..schema import ArticleIndex
from .compare import Comparison, compare
from .layout import IndexingError, parse_dateline
from .proposal import Proposal, propose, read_seed
from .writing import proposal_yaml, read_index, write_proposal

__all__ = [
    "Comparison",
    "IndexingError",
    "Proposal",
    "compare",
    "parse_dateline",
    "proposal_yaml",
    "propose",
    "read_seed",
    "register",
    "run",
    "write_proposal",
]

# --- Command -----------------------------------------------------------------------------


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add the ``index`` subcommand to the CLI's subparsers."""
    parser = sub.add_parser(
        "index",
        parents=[common],
        help="propose data/articles.yaml entries for a new seed compilation",
        description="Propose the seeds: entry and the articles: entries for a seed compilation and print "
        "them as YAML for review; --write appends them to the data folder's articles.yaml.",
    )
    parser.add_argument("seed", help="the seed file: a path, or a file name in the index's seeds_dir")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--write", action="store_true", help="append the proposal to articles.yaml")
    what.add_argument(
        "--compare",
        action="store_true",
        help="index an already indexed seed afresh and compare with its hand-made entries",
    )
    parser.set_defaults(run=run, needs_data=False)


def run(args: argparse.Namespace) -> int:
    """Print the proposal (or the comparison), or write it; exit 2 with a message on bad input."""
    try:
        return _run(args)
    except IndexingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    data_dir = Path(args.data)
    index_path = data_dir / "articles.yaml"
    if not index_path.is_file():
        raise IndexingError(f"{index_path}: file not found (the article index of --data)")
    index = read_index(index_path)
    seeds_dir = (data_dir / index.seeds_dir).resolve()
    path = Path(args.seed)
    if not path.is_file() and Path(args.seed).name == args.seed and (seeds_dir / args.seed).is_file():
        path = seeds_dir / args.seed
    if args.compare:
        return _compare(path, index)
    raw, _ = read_seed(path)
    _refuse_indexed(path, raw, index, index_path)
    proposal = propose(path, {a.id for a in index.articles})
    if not args.write:
        sys.stdout.write(proposal_yaml(proposal))
        return 0
    if path.resolve().parent != seeds_dir:
        raise IndexingError(f"{path}: copy the seed into {seeds_dir} first; the index names seeds by file name there")
    write_proposal(data_dir, proposal)
    print(f"wrote {len(proposal.articles)} articles and the seed entry of {path.name} to {index_path}")
    return 0


def _refuse_indexed(path: Path, raw: bytes, index: ArticleIndex, index_path: Path) -> None:
    digest = hashlib.sha256(raw).hexdigest()
    for seed in index.seeds:
        if seed.file == path.name:
            raise IndexingError(f"{path.name} is already indexed in {index_path}; its entries are never rewritten")
        if seed.sha256 == digest:
            raise IndexingError(f"{path} has the same bytes as {seed.file}, already indexed in {index_path}")


def _compare(path: Path, index: ArticleIndex) -> int:
    seed = next((s for s in index.seeds if s.file == path.name), None)
    if seed is None:
        raise IndexingError(f"{path.name} is not in the index: nothing to compare with")
    hand = [a for a in index.articles if a.seed == path.name]
    result = compare(propose(path), hand, seed.parts)
    print("\n".join(result.lines()))
    return 0


__all__ = [
    "Comparison",
    "IndexingError",
    "Proposal",
    "compare",
    "find_layout",
    "insert_proposal",
    "parse_dateline",
    "propose",
    "proposal_yaml",
    "write_proposal",
]
