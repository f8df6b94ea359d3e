"""Helpers shared by the keyword checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemagate.diff.changes import Change
from schemagate.diff.shape import Shape, effective_types, value_key
from schemagate.load.document import reads_alike
from schemagate.modes import Direction
from schemagate.resolve.keywords import REFERENCE_KEYWORDS, escape, mentions_reference

if TYPE_CHECKING:
    from schemagate.diff.engine import Side

ALL_TYPES = frozenset({"null", "boolean", "object", "array", "number", "integer", "string"})
BACKWARD, FORWARD = Direction.BACKWARD, Direction.FORWARD


def suspects(backward: bool, forward: bool) -> frozenset[Direction]:
    """Return the directions a change may break, from one flag per direction."""
    found = set()
    if backward:
        found.add(BACKWARD)
    if forward:
        found.add(FORWARD)
    return frozenset(found)


# The name of each dialect in messages.
_DRAFT_NAMES = {
    "draft4": "draft 4",
    "draft6": "draft 6",
    "draft7": "draft 7",
    "2019-09": "draft 2019-09",
    "2020-12": "draft 2020-12",
    "openapi-3.0": "OpenAPI 3.0",
}


def ignored_note(side: Side, shape: Shape, keyword: str) -> str:
    """Return " (DRAFT ignores KEYWORD)" where `shape`'s schemas contain `keyword` and
    the side's draft ignores it, or "" otherwise."""
    dialect = side.resolver.document.dialect
    ignored = not dialect.has_keyword(keyword) or (keyword == "const" and not dialect.has_const)
    if not ignored or not any(isinstance(s, dict) and keyword in s for _, s in shape.locs):
        return ""
    return f" ({_DRAFT_NAMES[dialect.value]} ignores {keyword})"


def shares(old: Shape, new: Shape, type_name: str) -> bool:
    """Tell whether both positions may hold a value of `type_name`."""
    old_types = effective_types(old)
    new_types = effective_types(new)
    names = {type_name, "number"} if type_name == "integer" else {type_name}
    in_old = old_types is None or bool(old_types & names)
    in_new = new_types is None or bool(new_types & names)
    return in_old and in_new


def range_change(
    family: str,
    message: str,
    old: Shape,
    new: Shape,
    backward: list[Any],
    forward: list[Any],
    *,
    outside: tuple[bool, bool] | None = None,
) -> Change:
    """Build a `FAMILY-narrowed` change when old values fall outside, else `-widened`.

    `outside` gives, for backward and forward, whether values fall outside, where some
    are too large to be candidates. By default, values fall outside where candidates are.
    """
    back, forth = outside if outside is not None else (bool(backward), bool(forward))
    rule = f"{family}-narrowed" if back else f"{family}-widened"
    return Change(
        rule,
        message,
        old.pointer,
        new.pointer,
        suspects=suspects(back, forth),
        backward=tuple(backward),
        forward=tuple(forward),
    )


def same_keyword(old_side: Side, new_side: Side, old: Shape, new: Shape, keyword: str) -> bool:
    """Tell whether `keyword` has the same schemas on both sides, following `$ref`s.

    Keywords compared as a whole value (`not`, `patternProperties`, tuple `items` and
    the like) would otherwise miss a change to a definition they point to.
    """
    old_locs, new_locs = old.keywords.get(keyword, []), new.keywords.get(keyword, [])
    if not old_locs or not new_locs:
        return not old_locs and not new_locs
    first = old_side.resolver.document.dialect
    second = new_side.resolver.document.dialect
    # The same text under two drafts may mean two things (`not: {contains: ...}`).
    if not all(reads_alike(value, first, second) for _, value in old_locs):
        return False
    if not mentions_reference(repr(old_locs) + repr(new_locs)):
        return value_key([v for _, v in old_locs]) == value_key([v for _, v in new_locs])
    before = [inlined(old_side, where, value) for where, value in old_locs]
    after = [inlined(new_side, where, value) for where, value in new_locs]
    return value_key(before) == value_key(after)


def inlined(side: Side, pointer: str, value: Any, within: tuple[str, ...] = ()) -> Any:
    """Return `value` with each local `$ref` replaced by the schema it points to.

    A reference back into a schema being inlined becomes `{"$ref": TARGET}`, so
    recursive schemas stay finite. Its target's own text is inlined further up.
    """
    if isinstance(value, list):
        return [inlined(side, f"{pointer}/{i}", item, within) for i, item in enumerate(value)]
    if not isinstance(value, dict):
        return value
    copy = {
        key: inlined(side, f"{pointer}/{escape(key)}", item, within)
        for key, item in value.items()
        if key not in REFERENCE_KEYWORDS
    }
    ref = next((value[key] for key in REFERENCE_KEYWORDS if key in value), None)
    if not isinstance(ref, str):
        return copy
    target = side.resolver.target(ref, pointer)
    if target in within:
        resolved: Any = {"$ref": target}
    else:
        resolved = inlined(side, target, side.resolver.lookup(target), (*within, target))
    if side.resolver.document.dialect.ref_overrides_siblings:
        return resolved
    return {**copy, "$ref": resolved}
