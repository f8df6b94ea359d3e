"""Parse JSON and YAML text into plain Python data, rejecting what would be silently lost.

Duplicate keys are errors (a JSON parser would keep the last one), nesting is bounded,
and YAML alias expansion is bounded, so a hostile document fails fast with a message.
"""

from __future__ import annotations

import json
import math
from typing import Any, NamedTuple

from schemagate.errors import DocumentError

# Deeper documents are rejected: real event schemas stay under 40 levels, and the
# engine recurses once per level.
MAX_DEPTH = 200
_TOO_DEEP = (
    f"nesting deeper than {MAX_DEPTH} levels of objects and arrays (each schema level "
    "is two: `properties` and the member); move nested schemas to definitions and $ref them"
)
# Cap on values produced while expanding YAML aliases (the "billion laughs" pattern).
MAX_NODES = 1_000_000
# The EventBridge Schema Registry rejects content over 100,000 characters, so a larger
# document could never be registered.
MAX_CHARS = 100_000
# Past 2**53 a JSON number has no exact double.
EXACT_NUMBER_LIMIT = 2**53


class Parsed(NamedTuple):
    """Parsed text, with what parsing found out about its syntax and numbers."""

    data: Any
    # True where the text is JSON, so that every key is spelled in it (unless escaped).
    json: bool
    # True where every number is exact as a double.
    exact_numbers: bool
    # Every key of every object where the text is JSON, or None for YAML.
    keys: frozenset[str] | None = None


def parse_text(text: str, source: str, *, yaml_hint: bool = False, json_only: bool = False) -> Any:
    """Parse JSON, falling back to YAML when the text is not JSON or `yaml_hint` is set.

    With `json_only` (a `.json` file), text that is not JSON is a JSON error, not YAML.
    """
    return parse_source(text, source, yaml_hint=yaml_hint, json_only=json_only).data


def parse_source(
    text: str, source: str, *, yaml_hint: bool = False, json_only: bool = False
) -> Parsed:
    """Parse text as `parse_text` does, and tell whether it was JSON and its numbers exact."""
    if len(text) > MAX_CHARS:
        raise DocumentError(
            source,
            f"document has {len(text):,} characters, over the registry's limit of "
            f"{MAX_CHARS:,}; split it into smaller schemas",
        )
    stripped = text.lstrip()
    if not yaml_hint or stripped.startswith(("{", "[")):
        inexact: list[str] = []
        keys: set[str] = set()
        try:
            data = json.loads(
                text,
                object_pairs_hook=_pairs_without_duplicates(source, keys),
                parse_constant=_reject_constant(source),
                parse_float=_finite_float(source, inexact),
                parse_int=_bounded_int(source, inexact),
            )
        except json.JSONDecodeError as exc:
            if json_only or (not yaml_hint and stripped.startswith(("{", "["))):
                raise DocumentError(
                    source, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
                ) from None
        except RecursionError:
            raise DocumentError(source, _TOO_DEEP) from None
        else:
            # Each level opens a bracket, so text with fewer brackets (counted in strings
            # too) cannot nest too deep, and the walk is skipped.
            if text.count("{") + text.count("[") > MAX_DEPTH:
                _check_depth(data, source)
            return Parsed(data, True, not inexact, frozenset(keys))
    data = _parse_yaml(text, source)
    return Parsed(data, False, plain_numbers(data))


def plain_numbers(value: Any) -> bool:
    """Tell whether every number in a JSON value is finite and exact as a double."""
    stack = [value]
    while stack:
        item = stack.pop()
        # Strings come first: most values of schemas and events are strings.
        if isinstance(item, str):
            continue
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int):
            if not isinstance(item, bool) and abs(item) > EXACT_NUMBER_LIMIT:
                return False
        elif isinstance(item, float) and not (
            math.isfinite(item) and abs(item) <= EXACT_NUMBER_LIMIT
        ):
            return False
    return True


def _pairs_without_duplicates(source: str, keys: set[str]) -> Any:
    """Return a hook that builds each object, rejects a repeated key and adds the
    object's keys to `keys`."""

    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        # dict() runs in C; only a shorter result means a key repeated.
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise DocumentError(source, f"duplicate key {key!r}; keep one of the values")
                seen.add(key)
        keys.update(result)
        return result

    return build


def _reject_constant(source: str) -> Any:
    def reject(name: str) -> Any:
        raise DocumentError(source, f"invalid JSON: {name} is not a JSON number; use a string")

    return reject


def _finite_float(source: str, inexact: list[str]) -> Any:
    def parse(text: str) -> float:
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise DocumentError(source, f"number {text} is too large for a JSON number")
        if abs(value) > EXACT_NUMBER_LIMIT:
            inexact.append(text)
        return value

    return parse


# Python converts at most this many digits to an int by default.
MAX_DIGITS = 4300


def _bounded_int(source: str, inexact: list[str]) -> Any:
    def parse(text: str) -> int:
        digits = len(text.lstrip("-"))
        if digits > MAX_DIGITS:
            raise DocumentError(
                source,
                f"number with {digits:,} digits is too long (at most {MAX_DIGITS:,} digits); "
                "write a shorter number, or a string",
            )
        value = int(text)
        if digits > 15 and abs(value) > EXACT_NUMBER_LIMIT:
            inexact.append(text)
        return value

    return parse


def _parse_yaml(text: str, source: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "parse error"
        raise DocumentError(source, f"invalid YAML{where}: {problem}") from None
    except YAMLError as exc:
        raise DocumentError(source, f"invalid YAML: {_first_line(exc)}") from None
    except (ValueError, OverflowError) as exc:
        # ruamel.yaml's scalar constructors raise these for text such as `+_`, and for
        # integers longer than Python converts.
        if "integer string conversion" in str(exc):
            raise DocumentError(
                source,
                f"a number is too long (at most {MAX_DIGITS:,} digits); "
                "write a shorter number, or a string",
            ) from None
        raise DocumentError(source, f"invalid YAML scalar: {_first_line(exc)}") from None
    except RecursionError:
        raise DocumentError(source, _TOO_DEEP) from None
    return _plain(data, source)


def _plain(data: Any, source: str) -> Any:
    """Copy YAML data into JSON types, bounding depth and alias expansion."""
    budget = [MAX_NODES]

    def convert(value: Any, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise DocumentError(
                source,
                f"document expands to over {MAX_NODES:,} values "
                "(YAML aliases?); inline a smaller document",
            )
        if depth > MAX_DEPTH:
            raise DocumentError(source, _TOO_DEEP)
        if isinstance(value, dict):
            result = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    raise DocumentError(source, f"key {key!r} is not a string; quote it")
                result[key] = convert(item, depth + 1)
            return result
        if isinstance(value, list):
            return [convert(item, depth + 1) for item in value]
        if value is None or isinstance(value, bool | int | float | str):
            return value
        raise DocumentError(
            source,
            f"value {_yaml_text(value)} of YAML type {type(value).__name__} has no JSON "
            "equivalent; quote it as a string",
        )

    return convert(data, 0)


def _check_depth(data: Any, source: str) -> None:
    # Level by level: one list per level is cheaper than a stack entry per container.
    level = [data] if isinstance(data, dict | list) else []
    depth = 0
    while level:
        if depth > MAX_DEPTH:
            raise DocumentError(source, _TOO_DEEP)
        below: list[Any] = []
        for value in level:
            children = value.values() if isinstance(value, dict) else value
            below.extend([item for item in children if isinstance(item, dict | list)])
        level = below
        depth += 1


def _yaml_text(value: Any) -> str:
    """Write a YAML value as the document spells it where possible (dates as ISO text)."""
    iso = getattr(value, "isoformat", None)
    return iso() if callable(iso) else repr(value)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def decode(raw: bytes, source: str) -> str:
    """Decode UTF-8 (with or without a byte order mark), naming the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            source,
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}; "
            "save the file as UTF-8",
        ) from None
