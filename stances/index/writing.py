"""The proposal as YAML, and appended to articles.yaml."""

from __future__ import annotations

import json
import os
import re
import textwrap
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..fmt import field_order
from ..schema import Article, ArticleIndex, Seed
from ..yamlio import YamlError, read_yaml
from .layout import IndexingError
from .proposal import Proposal

# --- YAML --------------------------------------------------------------------------------

_WIDTH = 92  # folded text is wrapped to this many columns, as in data/articles.yaml


def _scalar(value: object) -> str:
    """One YAML scalar in the index's style: plain where YAML reads it back unchanged, single-
    quoted where needed, double-quoted with ``\\u00a0`` escapes for invisible characters."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if any(unicodedata.category(ch) in ("Zs", "Cc", "Cf") and ch != " " for ch in text):
        quoted = json.dumps(text, ensure_ascii=False)
        hidden = ("Zs", "Cf")  # no-break and other invisible spaces, written as escapes
        return "".join(f"\\u{ord(ch):04x}" if ch != " " and unicodedata.category(ch) in hidden else ch for ch in quoted)
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10**6, default_style=None)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _key_value(key: str, value: object, indent: str) -> list[str]:
    """``key: value`` lines; long plain text is folded (``>-``) over several lines."""
    if key == "date":
        return [f"{indent}{key}: '{value}'"]
    if isinstance(value, (tuple, list)):
        return [f"{indent}{key}: {_flow(value)}"]
    line = f"{indent}{key}: {_scalar(value)}"
    text = str(value)
    foldable = isinstance(value, str) and "  " not in text and text == text.strip() and text.isprintable()
    if len(line) <= _WIDTH + 8 or not foldable or key in ("headline", "dateline", "file"):
        return [line]
    wrapped = textwrap.wrap(text, width=_WIDTH - len(indent) - 2, break_long_words=False, break_on_hyphens=False)
    return [f"{indent}{key}: >-", *(f"{indent}  {w}" for w in wrapped)]


def _flow(value: object) -> str:
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _entry(model, indent: str, skip: Sequence[str] = ()) -> list[str]:
    """A list item of a model's set fields, in the model's field order, ``- first: ...`` first."""
    out: list[str] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in skip or value is None or value == [] or (name == "continued" and not value):
            continue
        prefix = indent + ("- " if not out else "  ")
        lines = _key_value(name, value, "")
        out += [prefix + lines[0], *(indent + "  " + rest for rest in lines[1:])]
    return out


_ARTICLE_ORDER = field_order(Article)  # the order stances fmt keeps


def article_yaml(article: Article, indent: str = "  ") -> str:
    """One ``articles:`` entry as the index writes it."""
    out: list[str] = []
    for name in _ARTICLE_ORDER:
        value = getattr(article, name)
        if value is None and name == "headline":
            pass  # a missing headline is written out: "headline: null"
        elif value is None or value == []:
            continue
        lines = _key_value(name, value, "")
        prefix = indent + ("- " if not out else "  ")
        out += [prefix + lines[0], *(indent + "  " + rest for rest in lines[1:])]
    return "\n".join(out) + "\n"


def seed_yaml(seed: Seed, indent: str = "  ") -> str:
    """One ``seeds:`` entry as the index writes it, its parts as a nested list."""
    out = [
        f"{indent}- file: {_scalar(seed.file)}",
        f"{indent}  sha256: {seed.sha256}",
        *(indent + "  " + line for line in _key_value("origin", seed.origin, "")),
    ]
    if seed.parts:
        out.append(f"{indent}  parts:")
        for part in seed.parts:
            out += _entry(part, indent + "    ")
    return "\n".join(out) + "\n"


def proposal_yaml(proposal: Proposal) -> str:
    """The proposal as a YAML document for review: ``seeds:`` with one entry, then ``articles:``."""
    articles = "\n".join(article_yaml(a) for a in proposal.articles)
    return (
        f"# Proposed by stances index for {proposal.seed.file}: check every note, date_note and range.\n"
        f"seeds:\n{seed_yaml(proposal.seed)}\narticles:\n{articles}"
    )


# --- Writing into articles.yaml ----------------------------------------------------------

_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


def _block_end(lines: list[str], key: str, path: Path) -> int:
    """The index of the last content line of the top-level ``key:`` block (comments and
    blank lines after it are left where they are)."""
    starts = [i for i, line in enumerate(lines) if _TOP_KEY.match(line)]
    own = [i for i in starts if re.match(rf"^{key}\s*:\s*(?:#.*)?$", lines[i])]
    if not own:
        raise IndexingError(f"{path}: no top-level '{key}:' list to add to")
    begin = own[0]
    following = [i for i in starts if i > begin]
    stop = following[0] if following else len(lines)
    last = begin
    for i in range(begin + 1, stop):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            last = i
    return last


def insert_proposal(index_text: str, proposal: Proposal, path: Path) -> str:
    """``index_text`` with the seed entry after the last seed entry and the articles after the
    last article; every existing byte is kept."""
    lines = index_text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline: restored below
    seed_at = _block_end(lines, "seeds", path)
    article_at = _block_end(lines, "articles", path)
    rule = "-" * max(3, 86 - len(proposal.seed.file))
    articles = [
        f"  # --- {proposal.seed.file} {rule}",
        *"\n".join(article_yaml(a) for a in proposal.articles).split("\n"),
    ]
    seed = seed_yaml(proposal.seed).rstrip("\n").split("\n")
    inserts = sorted([(seed_at, seed), (article_at, ["", *articles[:-1]] if articles[-1] == "" else ["", *articles])])
    for at, new in reversed(inserts):
        lines[at + 1 : at + 1] = new
    return "\n".join(lines) + "\n"


def write_proposal(data_dir: Path, proposal: Proposal) -> Path:
    """Add the proposal to ``data_dir/articles.yaml``, checking first that the result reads
    back with the new seed and articles in it; returns the file written."""
    path = data_dir / "articles.yaml"
    before = path.read_text(encoding="utf-8")
    after = insert_proposal(before, proposal, path)
    check = path.with_name(f".{path.name}.new")
    check.write_text(after, encoding="utf-8")
    try:
        index = read_index(check)
        files = [s.file for s in index.seeds]
        ids = [a.id for a in index.articles]
        if files[-1] != proposal.seed.file or ids[-len(proposal.articles) :] != [a.id for a in proposal.articles]:
            raise IndexingError(f"{path}: the entries could not be placed after the last seed and article")
        os.replace(check, path)
    finally:
        check.unlink(missing_ok=True)
    return path


def read_index(path: Path) -> ArticleIndex:
    try:
        raw, _ = read_yaml(path)
        return ArticleIndex.model_validate(raw)
    except YamlError as exc:
        raise IndexingError(f"{path}:{exc.line}: {exc.message}") from None
    except ValidationError as exc:
        raise IndexingError(f"{path}: does not validate ({exc.error_count()} problem(s)); run stances check") from None
