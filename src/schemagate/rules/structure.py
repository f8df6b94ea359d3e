"""Keyword checks for object and array structure: property counts, dependencies,
conditionals, property names, pattern properties, tuple items and `not`.

Like the checks in `rules.checks`, each one reports a change and proposes candidate
values; the engine proves them against both whole documents.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from schemagate.diff.changes import Change, Deferred
from schemagate.diff.examples import Unbuildable, pattern_sampler
from schemagate.diff.patterns import PatternTimedOut, search
from schemagate.diff.shape import Loc, Shape, effective_types, value_key
from schemagate.modes import Direction, Policy
from schemagate.resolve.keywords import escape
from schemagate.rules.common import ignored_note, inlined, same_keyword, suspects

if TYPE_CHECKING:
    from schemagate.diff.engine import Side

BACKWARD, FORWARD = Direction.BACKWARD, Direction.FORWARD
BOTH = frozenset({BACKWARD, FORWARD})
# Values tried where a check needs "some other value" for a member or an item.
PLAIN_VALUES: tuple[Any, ...] = ("text", 0, 1.5, True, None, {}, [])


def _base_object(side: Side, shape: Shape) -> dict[str, Any]:
    with contextlib.suppress(Unbuildable):
        value = side.examples.example(shape.locs, only_type="object")
        if isinstance(value, dict):
            return value
    return {}


def member_example(side: Side, shape: Shape, name: str) -> Any:
    """Return an example for member `name` of an object of `shape`, or "text"."""
    member = side.examples.member(shape, name)
    if not member:
        return "text"
    try:
        return side.examples.example(member)
    except Unbuildable:
        return "text"


def _bound(shape: Shape, keyword: str, pick: Any) -> int | None:
    values = [v for v in shape.all(keyword) if isinstance(v, int) and not isinstance(v, bool)]
    return pick(values) if values else None


def _sized_objects(side: Side, shape: Shape, sizes: list[int]) -> Iterator[dict[str, Any]]:
    """Yield objects of `shape` grown or trimmed to each size, declared names first."""
    base = _base_object(side, shape)
    names = [n for n in sorted(shape.properties) if n not in base]
    for size in sizes:
        value = dict(base)
        for name in names:
            if len(value) >= size:
                break
            value[name] = member_example(side, shape, name)
        extra = 0
        while len(value) < size:
            extra += 1
            value[f"extraMember{extra}"] = member_example(side, shape, f"extraMember{extra}")
        optional = [n for n in value if n not in shape.required]
        while len(value) > size and optional:
            del value[optional.pop()]
        yield value


def check_property_count(
    old_side: Side, new_side: Side, old: Shape, new: Shape
) -> Iterator[Change]:
    old_range = (_bound(old, "minProperties", max) or 0, _bound(old, "maxProperties", min))
    new_range = (_bound(new, "minProperties", max) or 0, _bound(new, "maxProperties", min))
    if old_range == new_range:
        return
    backward = _count_sizes(old_range, new_range)
    forward = _count_sizes(new_range, old_range)
    rule = "property-count-narrowed" if backward else "property-count-widened"
    yield Change(
        rule,
        f"property count range {_show(old_range)} became {_show(new_range)}",
        old.pointer,
        new.pointer,
        suspects=frozenset(d for d, c in ((BACKWARD, backward), (FORWARD, forward)) if c),
        backward=Deferred(_sized_objects(old_side, old, backward)),
        forward=Deferred(_sized_objects(new_side, new, forward)),
    )


def _count_sizes(source: tuple[int, int | None], target: tuple[int, int | None]) -> list[int]:
    """Return property counts `source` allows and `target` does not."""
    sizes = []
    if target[0] > source[0]:
        sizes.append(source[0])
    if target[1] is not None and (source[1] is None or source[1] > target[1]):
        sizes.append(target[1] + 1)
    return sizes


def _show(bounds: tuple[int, int | None]) -> str:
    return f"[{bounds[0]}, {'unbounded' if bounds[1] is None else bounds[1]}]"


DEPENDENCY_KEYWORDS = ("dependencies", "dependentRequired", "dependentSchemas")


def _dependencies(side: Side, shape: Shape) -> dict[str, list[Any]]:
    """Map each trigger name to its dependencies, with `$ref`s inlined."""
    found: dict[str, list[Any]] = {}
    for keyword in DEPENDENCY_KEYWORDS:
        if keyword == "dependencies" and not side.resolver.document.dialect.has_dependencies:
            continue
        for where, value in shape.keywords.get(keyword, []):
            if isinstance(value, dict):
                for name, dependency in value.items():
                    inline = inlined(side, f"{where}/{escape(name)}", dependency)
                    found.setdefault(name, []).append(inline)
    return found


def check_dependencies(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    if not any(k in old.keywords or k in new.keywords for k in DEPENDENCY_KEYWORDS):
        return
    before, after = _dependencies(old_side, old), _dependencies(new_side, new)
    if value_key(before) == value_key(after):
        return
    changed = sorted(
        n
        for n in before.keys() | after.keys()
        if value_key(before.get(n)) != value_key(after.get(n))
    )
    keyword = next(k for k in DEPENDENCY_KEYWORDS if k in new.keywords or k in old.keywords)
    yield Change(
        "dependencies-changed",
        f"dependencies of {', '.join(repr(n) for n in changed)} changed",
        old.where(keyword),
        new.where(keyword),
        # A draft that ignores `dependencies` loses them as a removal would. A trigger
        # no producer sends (tolerant policy) breaks nothing.
        suspects=_restriction_suspects(bool(before), bool(after))
        & suspects(
            any(_sendable(old_side, old, n) for n in changed),
            any(_sendable(new_side, new, n) for n in changed),
        ),
        backward=Deferred(_triggered(old_side, old, changed, after, before)),
        forward=Deferred(_triggered(new_side, new, changed, before, after)),
    )


def _triggered(
    side: Side,
    shape: Shape,
    names: list[str],
    other: dict[str, list[Any]],
    own: dict[str, list[Any]],
) -> Iterator[dict[str, Any]]:
    """Yield objects of `shape` holding a trigger name, without what `other` demands,
    then with each member a dependency schema of either side constrains."""
    base = _base_object(side, shape)
    for name in names:
        if not _sendable(side, shape, name):
            continue
        value = dict(base)
        value[name] = member_example(side, shape, name)
        demanded = {n for dep in other.get(name, []) if isinstance(dep, list) for n in dep}
        yield {k: v for k, v in value.items() if k not in demanded or k == name}
        yield value
        for extra in PLAIN_VALUES[:3]:
            yield {**value, name: extra}
        for member in _dependency_members(other.get(name, []) + own.get(name, [])):
            if not _sendable(side, shape, member):
                continue
            if member not in value:
                yield {**value, member: member_example(side, shape, member)}
            for extra in PLAIN_VALUES[:3]:
                yield {**value, member: extra}


def _dependency_members(dependencies: list[Any]) -> list[str]:
    """Return the members that dependency schemas (not name lists) declare, in order."""
    members: list[str] = []
    for dependency in dependencies:
        declared = dependency.get("properties") if isinstance(dependency, dict) else None
        if isinstance(declared, dict):
            members += [m for m in declared if m not in members]
    return members


# `propertyNames` counts from draft 6 and `if`/`then`/`else` from draft 7. Shapes leave
# them out under earlier drafts, so a document moving across that line changes them.
CONDITIONAL_KEYWORDS = ("if", "then", "else")
# Member names tried against a changed `propertyNames`: short, long, cased, digits,
# separators and a name of a generated member.
NAME_SAMPLES = ("x", "X", "a1", "1", "_x", "a-b", "a.b", "a b", "extraMember", "")
# Bounds the objects tried for one changed conditional.
MAX_CONDITIONAL_CANDIDATES = 48
# Marks an edit that sets a member to its own example value.
_EXAMPLE = object()


def check_property_names(
    old_side: Side, new_side: Side, old: Shape, new: Shape
) -> Iterator[Change]:
    if same_keyword(old_side, new_side, old, new, "propertyNames"):
        return
    yield Change(
        "property-names-changed",
        _changed_words(old_side, new_side, old, new, ("propertyNames",)),
        old.where("propertyNames"),
        new.where("propertyNames"),
        suspects=_restriction_suspects(
            bool(old.all("propertyNames")), bool(new.all("propertyNames"))
        ),
        backward=Deferred(_named_members(old_side, old, new)),
        forward=Deferred(_named_members(new_side, new, old)),
    )


def _changed_words(
    old_side: Side, new_side: Side, old: Shape, new: Shape, changed: tuple[str, ...]
) -> str:
    """Describe each changed keyword as added, removed or changed, and name a draft that
    ignores the keyword where the text still contains it."""
    words = []
    for keyword in changed:
        if not old.all(keyword):
            words.append(f"{keyword} added{ignored_note(old_side, old, keyword)}")
        elif not new.all(keyword):
            words.append(f"{keyword} removed{ignored_note(new_side, new, keyword)}")
        else:
            words.append(f"{keyword} changed")
    return ", ".join(words)


def _restriction_suspects(before: bool, after: bool) -> frozenset[Direction]:
    """Return the directions a change to keywords that only restrict may break.

    Adding them (`before` false) can only reject old events, and removing them (`after`
    false) can only accept events the old schema rejected.
    """
    if not before:
        return frozenset({BACKWARD})
    if not after:
        return frozenset({FORWARD})
    return BOTH


def _named_members(side: Side, shape: Shape, other: Shape) -> Iterator[dict[str, Any]]:
    """Yield objects of `shape`, each with one more member, named to test `propertyNames`.

    Declared names come first. Other names are tried only under the strict policy,
    because a tolerant producer sends declared members only.
    """
    base = _base_object(side, shape)
    yield base
    names = sorted(shape.properties)
    if side.validator.policy is Policy.STRICT:
        names += [*NAME_SAMPLES, *_names_past_bounds(other), *_name_examples(side, shape)]
    for name in dict.fromkeys(names):
        if name not in base:
            yield {**base, name: member_example(side, shape, name)}


def _names_past_bounds(shape: Shape) -> list[str]:
    """Return names just outside the length bounds of `shape`'s `propertyNames`."""
    names = []
    for rule in shape.all("propertyNames"):
        if not isinstance(rule, dict):
            continue
        longest = _length_bound(rule.get("maxLength"))
        if longest is not None:
            names.append("x" * (longest + 1))
        shortest = _length_bound(rule.get("minLength"))
        if shortest:
            names.append("x" * (shortest - 1))
    return names


def _length_bound(value: Any) -> int | None:
    """Return a length bound small enough to build a string of, or None."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1000:
        return value
    return None


def _name_examples(side: Side, shape: Shape) -> list[str]:
    """Return a few names `shape`'s own `propertyNames` accepts."""
    names: list[str] = []
    for where, rule in shape.keywords.get("propertyNames", []):
        if isinstance(rule, bool):
            continue
        conj = side.examples.conj([(where, rule)])
        values = itertools.islice(side.examples.candidates(conj), 8)
        names += [v for v in values if isinstance(v, str) and side.examples.valid(conj, v)]
    return names


def check_conditional(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    changed = tuple(
        k for k in CONDITIONAL_KEYWORDS if not same_keyword(old_side, new_side, old, new, k)
    )
    if not changed:
        return
    keyword = changed[0]
    yield Change(
        "conditional-changed",
        _changed_words(old_side, new_side, old, new, changed),
        old.where(keyword),
        new.where(keyword),
        suspects=_restriction_suspects(
            any(old.all(k) for k in changed), any(new.all(k) for k in changed)
        ),
        backward=Deferred(
            itertools.chain(
                _conditioned(old_side, old, new), _branch_values_of(old_side, old, new_side, new)
            )
        ),
        forward=Deferred(
            itertools.chain(
                _conditioned(new_side, new, old), _branch_values_of(new_side, new, old_side, old)
            )
        ),
    )


def _branch_values_of(side: Side, shape: Shape, other_side: Side, other: Shape) -> Iterator[Any]:
    """Yield values of any type for a conditional on strings, numbers or arrays: the
    examples of each side's `if`, `then` and `else`, and values just past their bounds."""
    if effective_types(shape) == frozenset({"object"}):
        return
    with contextlib.suppress(Unbuildable):
        yield side.examples.example(shape.locs)
    for owner, owned in ((side, shape), (other_side, other)):
        for keyword in CONDITIONAL_KEYWORDS:
            for where, rule in owned.keywords.get(keyword, []):
                with contextlib.suppress(Unbuildable):
                    yield owner.examples.example(owner.examples.conj([(where, rule)]))
                if isinstance(rule, dict):
                    yield from _past_bounds(rule)
    yield from PLAIN_VALUES


def _past_bounds(rule: dict[str, Any]) -> list[Any]:
    """Return numbers and strings at and just past a schema's number and length bounds."""
    values: list[Any] = []
    for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = rule.get(keyword)
        if isinstance(bound, int | float) and not isinstance(bound, bool):
            values += [bound - 1, bound, bound + 1]
    for keyword in ("minLength", "maxLength"):
        length = _length_bound(rule.get(keyword))
        if length is not None:
            values += ["x" * n for n in (length - 1, length, length + 1) if n >= 0]
    return values


def _conditioned(side: Side, shape: Shape, other: Shape) -> Iterator[dict[str, Any]]:
    """Yield objects of `shape` that select each branch of either side's conditionals.

    A member that an `if` on either side constrains takes each `const` and `enum`
    value listed there. Then a member that a `then` or `else` constrains takes values
    at and past each bound listed there, so that one side's branch accepts the object
    and the other's rejects it. Under the tolerant policy only declared members are set.
    """
    base = _base_object(side, shape)
    # A tolerant producer sends declared members only.
    allowed = _declared if side.validator.policy is Policy.TOLERANT else _any_name
    variants = [base]
    for trigger, values in _trigger_values(shape, other).items():
        if allowed(shape, trigger):
            variants += [{**base, trigger: value} for value in values]
    branch_values = [
        (n, v)
        for n, values in _branch_values(shape, other).items()
        if allowed(shape, n)
        for v in values
    ]
    tried = 0
    for variant in variants:
        # Each variant as it is, with one branch member set, or with one optional member.
        edits: list[tuple[str | None, Any]] = [(None, _EXAMPLE), *branch_values]
        edits += [(n, _EXAMPLE) for n in sorted(shape.properties) if n not in variant]
        for member, value in edits:
            if tried >= MAX_CONDITIONAL_CANDIDATES:
                return
            tried += 1
            if member is None:
                yield variant
            elif value is _EXAMPLE:
                yield {**variant, member: member_example(side, shape, member)}
            else:
                yield {**variant, member: value}


def _declared(shape: Shape, name: str) -> bool:
    return name in shape.properties


def _sendable(side: Side, shape: Shape, name: str) -> bool:
    """Tell whether a producer of `shape` may send a member `name`.

    Under the tolerant policy that is a member the shape declares (also under `if`,
    `then`, `else` or a dependency schema), any member of an object that declares none
    or types `additionalProperties`, or one its own `patternProperties` match.
    """
    if side.validator.policy is not Policy.TOLERANT or name in _declared_names(shape):
        return True
    if _open_map(shape):
        return True
    return any(_matches(pattern, name) for pattern in _own_patterns(shape))


def _declared_names(shape: Shape) -> set[str]:
    names = set(shape.properties)
    names.update(name for name, _ in _branch_members(shape, CONDITIONAL_KEYWORDS))
    for keyword in ("dependencies", "dependentSchemas"):
        for value in shape.all(keyword):
            if isinstance(value, dict):
                names.update(_dependency_members(list(value.values())))
    return names


def _own_patterns(shape: Shape) -> list[str]:
    return [
        p for group in shape.all("patternProperties") if isinstance(group, dict) for p in group
    ]


def _open_map(shape: Shape) -> bool:
    """Tell whether an object's member names are data: it declares none, or types
    `additionalProperties`."""
    if not shape.properties:
        return True
    return any(isinstance(schema, dict) for _, schema in shape.additional)


def _matches(pattern: str, name: str) -> bool:
    try:
        return search(pattern, name)
    except (PatternTimedOut, re.error):
        return False


def _any_name(shape: Shape, name: str) -> bool:
    return True


def _trigger_values(*shapes: Shape) -> dict[str, list[Any]]:
    """Map each member an `if` constrains to the `const` and `enum` values it lists."""
    found: dict[str, list[Any]] = {}
    for shape in shapes:
        for name, rule in _branch_members(shape, ("if",)):
            values = found.setdefault(name, [])
            if "const" in rule:
                values.append(rule["const"])
            if isinstance(rule.get("enum"), list):
                values.extend(rule["enum"])
    return found


def _branch_values(*shapes: Shape) -> dict[str, list[Any]]:
    """Map each member a `then` or `else` constrains to values at and past its bounds."""
    found: dict[str, list[Any]] = {}
    for shape in shapes:
        for name, rule in _branch_members(shape, ("then", "else")):
            values = found.setdefault(name, [])
            values += _past_bounds(rule)
            if "const" in rule:
                values.append(rule["const"])
            if isinstance(rule.get("enum"), list):
                values.extend(rule["enum"])
            # Plain values of each type meet a branch that retypes the member.
            values.extend(v for v in PLAIN_VALUES[:4] if v not in values)
    return found


def _branch_members(
    shape: Shape, keywords: tuple[str, ...]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (name, schema) for each member the given conditional keywords constrain."""
    for keyword in keywords:
        for branch in shape.all(keyword):
            members = branch.get("properties") if isinstance(branch, dict) else None
            if not isinstance(members, dict):
                continue
            for name, rule in members.items():
                if isinstance(rule, dict):
                    yield name, rule


def check_pattern_properties(
    old_side: Side, new_side: Side, old: Shape, new: Shape
) -> Iterator[Change]:
    if same_keyword(old_side, new_side, old, new, "patternProperties"):
        return
    before, after = old.all("patternProperties"), new.all("patternProperties")
    patterns = sorted({p for group in (*before, *after) if isinstance(group, dict) for p in group})
    yield Change(
        "pattern-properties-changed",
        f"patternProperties changed for {', '.join(repr(p) for p in patterns)}",
        old.where("patternProperties"),
        new.where("patternProperties"),
        # Under the tolerant policy both sides must declare such a member, because a
        # producer sends only declared members and a reader ignores undeclared ones.
        suspects=BOTH
        if _may_send_matching(old_side, old, patterns)
        and _may_send_matching(new_side, new, patterns)
        else frozenset(),
        backward=Deferred(_matching_members(old_side, old, patterns)),
        forward=Deferred(_matching_members(new_side, new, patterns)),
    )


def _may_send_matching(side: Side, shape: Shape, patterns: list[str]) -> bool:
    """Tell whether `shape` declares a member one of `patterns` matches, so that its
    producer may send one and its reader reads one (see `_sendable`)."""
    if side.validator.policy is not Policy.TOLERANT or _open_map(shape) or _own_patterns(shape):
        return True
    names = _declared_names(shape)
    return any(_matches(pattern, name) for pattern in patterns for name in names)


def _matching_members(side: Side, shape: Shape, patterns: list[str]) -> Iterator[Any]:
    """Yield objects of `shape` with a member that each pattern matches: a declared one,
    then one named from the pattern where the producer may send it."""
    base = _base_object(side, shape)
    generator = pattern_sampler(side.examples.random)
    for pattern in patterns:
        names = [n for n in sorted(_declared_names(shape)) if _matches(pattern, n)][:2]
        # rstr raises several types on patterns it cannot invert.
        with contextlib.suppress(Exception):
            names.append(generator.xeger(pattern))
        for name in names:
            if not _sendable(side, shape, name):
                continue
            yield {**base, name: member_example(side, shape, name)}
            for value in PLAIN_VALUES:
                yield {**base, name: value}


Layout = tuple[list[Loc], Loc]


def _tuples(side: Side, shape: Shape) -> list[Layout]:
    """Return each tuple of the shape's locations: its positional item schemas and the
    schema for items past them. Every tuple of an `allOf` applies."""
    # `items` is the tuple up to 2019-09, and `prefixItems` from 2020-12.
    keyword = (
        "prefixItems" if side.resolver.document.dialect.has_keyword("prefixItems") else "items"
    )
    rest_keywords = (
        ("items", "unevaluatedItems") if keyword == "prefixItems" else ("additionalItems",)
    )
    layouts: list[Layout] = []
    for pointer, schema in shape.locs:
        if not isinstance(schema, dict) or not isinstance(schema.get(keyword), list):
            continue
        positional = [(f"{pointer}/{keyword}/{i}", item) for i, item in enumerate(schema[keyword])]
        rest: Loc = (shape.pointer, True)
        for name in rest_keywords:
            if name in schema:
                rest = (f"{pointer}/{name}", schema[name])
                break
        layouts.append((positional, rest))
    return layouts


def _inlined_tuples(side: Side, layouts: list[Layout]) -> Any:
    return value_key(
        [
            [[inlined(side, *loc) for loc in positional], inlined(side, *rest)]
            for positional, rest in layouts
        ]
    )


def check_tuple_items(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    before, after = _tuples(old_side, old), _tuples(new_side, new)
    if not (before or after) or _inlined_tuples(old_side, before) == _inlined_tuples(
        new_side, after
    ):
        return
    length = max(len(positional) for positional, _ in before + after) + 1
    yield Change(
        "tuple-items-changed",
        _tuple_words(_positions(before), _positions(after)),
        old.pointer,
        new.pointer,
        suspects=BOTH,
        backward=Deferred(_arrays(old_side, before, length)),
        forward=Deferred(_arrays(new_side, after, length)),
    )


def _tuple_words(before: int, after: int) -> str:
    if before == after:
        return f"positional items of a tuple of {before} changed"
    return f"tuple of {before} positional items became one of {after}"


def _positions(layouts: list[Layout]) -> int:
    return max((len(positional) for positional, _ in layouts), default=0)


def _arrays(side: Side, layouts: list[Layout], length: int) -> Iterator[list[Any]]:
    """Yield arrays built position by position, of each length up to `length`."""
    values: list[Any] = []
    for index in range(length):
        locs = [p[index] if index < len(p) else rest for p, rest in layouts]
        if any(loc[1] is False for loc in locs):
            break
        schemas = [loc for loc in locs if loc[1] is not True]
        try:
            values.append(
                side.examples.example(side.examples.conj(schemas)) if schemas else "text"
            )
        except Unbuildable:
            break
    for size in range(len(values) + 1):
        yield values[:size]
    for value in PLAIN_VALUES:
        yield [*values, value]
    # A plain value in each position meets a positional schema added or retyped there.
    for index in range(len(values)):
        for value in PLAIN_VALUES[:4]:
            yield [*values[:index], value, *values[index + 1 :]]


def check_not(old_side: Side, new_side: Side, old: Shape, new: Shape) -> Iterator[Change]:
    if same_keyword(old_side, new_side, old, new, "not"):
        return
    yield Change(
        "not-changed",
        "the schema under `not` changed",
        old.where("not"),
        new.where("not"),
        suspects=BOTH,
        backward=Deferred(_negated(old_side, old, new_side, new)),
        forward=Deferred(_negated(new_side, new, old_side, old)),
    )


def _negated(side: Side, shape: Shape, other_side: Side, other: Shape) -> Iterator[Any]:
    """Yield values of `shape`, then instances of the other side's `not` schemas."""
    yield from itertools.islice(side.examples.candidates(shape.locs), 6)
    for where, _ in other.keywords.get("not", []):
        negated = other_side.examples.conj([(where, other_side.resolver.lookup(where))])
        with contextlib.suppress(Unbuildable):
            yield other_side.examples.example(negated)
    yield from PLAIN_VALUES


def check_discriminator(
    old_side: Side, new_side: Side, old: Shape, new: Shape
) -> Iterator[Change]:
    before, after = old.first("discriminator"), new.first("discriminator")
    if before == after:
        return
    yield Change(
        "discriminator-changed",
        f"discriminator {_describe(before)} became {_describe(after)}",
        old.where("discriminator"),
        new.where("discriminator"),
    )


def _describe(discriminator: Any) -> str:
    if isinstance(discriminator, dict):
        return repr(discriminator.get("propertyName"))
    return "none"
