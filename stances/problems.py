"""Problems found in the data, reported all at once as ``file:line: message``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from pydantic import ValidationError

from .schema import ID_PATTERN, STANCES


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DataError(Exception):
    """The data folder does not validate; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def from_validation(file: str, error: ValidationError, lines: dict[tuple, int]) -> list[Problem]:
    """Turn pydantic's errors into problems at the line of the offending value."""
    found = []
    for err in error.errors():
        loc = tuple(err["loc"])
        line = _nearest_line(loc, lines)
        where = ".".join(str(part) for part in loc) or "file"
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "extra_forbidden":
            message = "unknown field (check its spelling)"
        elif err["type"] == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == ID_PATTERN:
            message = f"an id is lower-case letters and digits, words joined by '-' (got '{err['input']}')"
        elif loc and loc[-1] == "stance" and isinstance(err.get("input"), str):
            message += _near_miss(err["input"])
        found.append(Problem(file, line, f"{where}: {message}"))
    return found


def _nearest_line(loc: tuple, lines: dict[tuple, int]) -> int:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return 1


def _near_miss(value: str) -> str:
    folded = {s.lower().replace("-", " "): s for s in STANCES}
    key = value.strip().lower().replace("-", " ")
    match = folded.get(key) or next(iter(difflib.get_close_matches(key, folded, n=1, cutoff=0.6)), None)
    if match:
        return f" (got '{value}'; did you mean '{folded.get(match, match)}'?)"
    return f" (got '{value}')"
