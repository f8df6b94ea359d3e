"""Line numbers for JSON pointers in a schema file, computed only when a reporter asks.

Positions need a second, slower parse of the file, so the gate never computes them:
reporters that print line numbers call `locate`, and only for files with findings.
JSON positions come from `json-source-map`, YAML positions from ruamel.yaml's
round-trip loader.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Keywords a rule's change sits on, tried in order under the finding's schema pointer so
# that an annotation lands on the changed keyword rather than on the property name.
_RULE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "type": ("type",),
    "enum": ("enum",),
    "required": ("required",),
    "additional-properties": ("additionalProperties",),
    "string-length": ("maxLength", "minLength"),
    "number-range": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"),
    "multiple-of": ("multipleOf",),
    "array-length": ("minItems", "maxItems"),
    "unique-items": ("uniqueItems",),
    "format": ("format",),
    "pattern": ("pattern",),
    "union-branch": ("anyOf", "oneOf"),
}


def locate(path: str | Path, pointer: str | None, rule: str | None = None) -> int | None:
    """Return the 1-based line of `pointer` in the file at `path`, or None if unknown.

    A pointer that the file lacks (a removed property, say) falls back to its nearest
    ancestor that exists. With `rule`, the line of the keyword the rule is about is
    preferred when the schema at `pointer` has it.
    """
    lines = _line_index(str(path))
    if not lines or pointer is None:
        return None
    normal = pointer[1:] if pointer.startswith("#") else pointer
    for keyword in _keywords(rule):
        line = lines.get(f"{normal}/{keyword}")
        if line is not None:
            return line
    while True:
        line = lines.get(normal)
        if line is not None:
            return line
        if not normal:
            return None
        normal = normal.rsplit("/", 1)[0]


def _keywords(rule: str | None) -> tuple[str, ...]:
    if rule is None:
        return ()
    for prefix, keywords in _RULE_KEYWORDS.items():
        if rule.startswith(prefix + "-"):
            return keywords
    return ()


@functools.lru_cache(maxsize=64)
def _line_index(path: str) -> dict[str, int]:
    """Map every JSON pointer in a file to the 1-based line of its key (or its value)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        logger.debug("no line numbers for %s: %s", path, exc)
        return {}
    if text.lstrip().startswith(("{", "[")):
        return _json_lines(text, path)
    return _yaml_lines(text, path)


def _json_lines(text: str, path: str) -> dict[str, int]:
    import json

    import json_source_map

    try:
        entries = json_source_map.calculate(text)
    except json_source_map.errors.BaseError as exc:
        logger.debug("no line numbers for %s: %s", path, exc)
        return {}
    # json-source-map 1.0.5 joins keys without escaping `/` and `~`, so its keys are
    # looked up through the escaped pointers of a walk over the parsed document.
    lines: dict[str, int] = {}
    for pointer, raw in _walk_json(json.loads(text), "", ""):
        entry = entries.get(raw)
        if entry is not None:
            start = entry.key_start or entry.value_start
            lines[pointer] = start.line + 1
    return lines


def _walk_json(node: Any, pointer: str, raw: str) -> Iterator[tuple[str, str]]:
    yield pointer, raw
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk_json(value, f"{pointer}/{_escape(key)}", f"{raw}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk_json(value, f"{pointer}/{index}", f"{raw}/{index}")


def _yaml_lines(text: str, path: str) -> dict[str, int]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="rt", pure=True)
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        logger.debug("no line numbers for %s: %s", path, exc)
        return {}
    lines = {"": 1}
    lines.update(_walk_yaml(data, ""))
    return lines


def _walk_yaml(node: Any, pointer: str) -> Iterator[tuple[str, int]]:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        for key, value in node.items():
            child = f"{pointer}/{_escape(str(key))}"
            # A key merged in with `<<` has no position of its own in this mapping, so
            # it takes the mapping's line.
            position = node.lc.data.get(key)
            line = position[0] if position else node.lc.line
            yield child, line + 1
            yield from _walk_yaml(value, child)
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            child = f"{pointer}/{index}"
            line, _column = node.lc.item(index)
            yield child, line + 1
            yield from _walk_yaml(value, child)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
