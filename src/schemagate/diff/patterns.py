"""`pattern` and `patternProperties` matched with the `regex` module and a time bound.

Python's `re` backtracks without limit, and cannot be interrupted, so a witness string
generated from one side's pattern could keep the other side's pattern busy without end:
`^([a-z0-9]+-?)+$` against a string with a space was still running after three minutes.
The `regex` module avoids most such backtracking and takes a timeout for the rest. A
match that reaches the timeout leaves the event's validity unknown, so the change it
was meant to prove stays unproven.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterator
from typing import Any

# Seconds one match may take before the event's validity counts as unknown.
MATCH_SECONDS = 1.0
# Largest repeat count `{n}` or `{n,m}` a pattern matched with `regex` may contain.
MAX_COMPILED_COUNT = 1000
_COUNTS = re.compile(r"\{(\d+)(?:,(\d*))?\}")


class PatternTimedOut(Exception):
    """Matching a pattern took longer than MATCH_SECONDS."""


@functools.lru_cache(maxsize=2048)
def _compiled(pattern: str) -> Any:
    # Imported on first use: importing regex took about 7 ms here, and most runs match none.
    import regex

    # `regex` expands a repeat count such as `a{100000000}` in memory, gigabytes of it,
    # where `re` does not: such patterns are left to `re`.
    counts = [int(n) for pair in _COUNTS.findall(pattern) for n in pair if n]
    if any(count > MAX_COMPILED_COUNT for count in counts):
        return None
    try:
        return regex.compile(_as_re_reads(pattern))
    except (regex.error, TypeError, MemoryError, OverflowError):
        return None


# `{e}`, `{s}`, `{i}` and `{d}` after an atom are fuzzy matching in `regex` and text in `re`.
_FUZZY = re.compile(r"\{\s*[esid]")
# Escapes whose character tables differ between the two modules outside printable ASCII
# (`\w` and `²`, `\s` and U+001C).
_CLASS_ESCAPES = re.compile(r"\\[wWsSbBdD]")
_PLAIN_TEXT = re.compile(r"[\t\n\r\x0b\x0c\x20-\x7e]*")


def _read_apart(pattern: str, text: str) -> bool:
    """Tell whether `regex` may read `pattern` on `text` otherwise than `re` does."""
    if _FUZZY.search(pattern):
        return True
    if _CLASS_ESCAPES.search(pattern):
        # `\B` matches the empty string in `regex` only.
        return not text or _PLAIN_TEXT.fullmatch(text) is None
    return False


def _as_re_reads(pattern: str) -> str:
    """Return `pattern` with each `[` inside a character class escaped.

    `regex` reads `[[:alpha:]]` as a POSIX class. Python's `re`, which jsonschema
    matches with, and ECMA-262 read the set `[:alph` and then `]`. Escaped, the `[` is
    a member of the set for both modules.
    """
    if "[" not in pattern:
        return pattern
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if not in_class and char == "[":
            in_class = True
            out.append(char)
            index += 1
            # A `^` and then a `]` right after the opening bracket are members.
            if pattern[index : index + 1] == "^":
                out.append("^")
                index += 1
            if pattern[index : index + 1] == "]":
                out.append("]")
                index += 1
            continue
        if in_class and char == "[":
            out.append("\\[")
        else:
            out.append(char)
            if in_class and char == "]":
                in_class = False
        index += 1
    return "".join(out)


def search(pattern: str, text: str) -> bool:
    """Tell whether `pattern` matches somewhere in `text`, as `re.search` does."""
    compiled = None if _read_apart(pattern, text) else _compiled(pattern)
    if compiled is None:
        # A pattern `regex` rejects, or reads otherwise, is matched by `re`, as jsonschema
        # matches it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return re.search(pattern, text) is not None
    try:
        return compiled.search(text, timeout=MATCH_SECONDS) is not None
    except TimeoutError:
        raise PatternTimedOut(pattern) from None


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Any, patterns: dict[str, Any], instance: Any, schema: Any
) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for name, value in instance.items():
            if search(pattern, name):
                yield from validator.descend(value, subschema, path=name, schema_path=pattern)


@functools.cache
def bounded(cls: Any) -> Any:
    """Return `cls`, a jsonschema validator class, with bounded pattern matching."""
    import jsonschema.validators

    keywords = {"pattern": _pattern, "patternProperties": _pattern_properties}
    return jsonschema.validators.extend(cls, keywords)  # type: ignore[no-untyped-call]
