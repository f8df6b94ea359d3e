"""Build example events: minimal valid instances, and instances with a chosen value placed
at an instance path. Witnesses are built here and then proven by `proof.Prover`.

The builder produces only declared properties, which is what a producer following its
schema sends under the tolerant policy.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import re
import warnings
from collections.abc import Iterator
from typing import Any

from schemagate.diff.budget import WorkBudget
from schemagate.diff.patterns import PatternTimedOut, search
from schemagate.diff.proof import DocumentValidator
from schemagate.diff.shape import Conj, Loc, Shape, build_shape, effective_types, expand, json_type
from schemagate.resolve.refs import Resolver

PathToken = str | int
# Stops recursion through self-referencing schemas. A document may nest about 100
# schema levels (200 JSON levels), so every position of an accepted document is reached.
MAX_DEPTH = 100
# Repetitions a pattern sample uses for `+`, `*` and open ranges.
MAX_REPEAT = 6
# Bounds the branch combinations tried where several unions apply to one value.
MAX_ALTERNATIVES = 32
# Maximum length of a witness string and maximum size of a witness array. A bound past
# it (minLength 10**9) would cost gigabytes to meet, so such a change stays unproven.
MAX_WITNESS_LENGTH = 4096
TYPE_ORDER = ("object", "string", "integer", "number", "boolean", "array", "null")

_FORMAT_SAMPLES = {
    "date-time": "2026-01-15T10:30:00Z",
    "date": "2026-01-15",
    "time": "10:30:00Z",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/item",
    "uri-reference": "/item",
    "iri": "https://example.com/item",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "regex": "^a$",
    "json-pointer": "/a",
    "duration": "P1D",
}


_MISSING = object()


class Unbuildable(Exception):
    """No instance of a schema could be built within the bounds."""


class ExampleBuilder:
    """Build instances of one document's schemas."""

    def __init__(
        self, resolver: Resolver, validator: DocumentValidator, budget: WorkBudget | None = None
    ) -> None:
        self.resolver = resolver
        self.validator = validator
        self.budget = budget or WorkBudget()
        self._envelope = _envelope_values(resolver)
        self._examples: dict[tuple[Any, str | None], Any] = {}
        # First candidates, unvalidated, for objects whose members are checked together.
        self._unchecked: dict[tuple[Any, ...], Any] = {}
        self._shapes: dict[tuple[tuple[str, int], ...], tuple[Conj, Shape]] = {}
        self._objects: dict[tuple[int, int, str | None, bool], tuple[Shape, dict[str, Any]]] = {}

    @functools.cached_property
    def random(self) -> random.Random:
        # Seeded once per document, so the same pair always gets the same witnesses.
        return random.Random(0)

    def shape(self, conj: Conj) -> Shape:
        """Return the merged constraints of `conj`, built once per conjunction.

        The key contains the identity of each location's schema, and the cache keeps the
        conjunction alive, so a key is never reused for another schema.
        """
        key = tuple([(pointer, id(schema)) for pointer, schema in conj])
        cached = self._shapes.get(key)
        if cached is None:
            cached = (conj, build_shape(self.resolver, conj))
            self._shapes[key] = cached
        return cached[1]

    def conj(self, locs: list[Loc] | Conj) -> Conj:
        expanded: list[Loc] = []
        for loc in locs:
            expanded.extend(expand(self.resolver, loc))
        return tuple(expanded)

    def valid(self, conj: Conj, instance: Any) -> bool:
        """Tell whether `instance` is valid under every location of `conj`, in the reader view.

        Boolean locations stand for "anything" or "nothing" placed by the walk, and a
        location stripped of its unions is checked without them.
        """
        for pointer, schema in conj:
            if isinstance(schema, bool):
                if not schema:
                    return False
                continue
            stripped = "anyOf" not in schema and "oneOf" not in schema
            try:
                if not self.validator.is_valid(instance, pointer, without_unions=stripped):
                    return False
            except PatternTimedOut:
                return False
        return True

    def example(self, conj: Conj, depth: int = 0, *, only_type: str | None = None) -> Any:
        """Return a small instance valid under every location of `conj`.

        Results are memoised per conjunction, so building several witnesses in one
        document validates each member example once. Callers get a deep copy.
        """
        key = (conj_key(conj), only_type)
        if key in self._examples:
            found = self._examples[key]
            if isinstance(found, Unbuildable):
                raise found
            return copy_json(found)
        try:
            value = self._first_valid(conj, depth, only_type)
        except Unbuildable as missing:
            if depth == 0:
                self._examples[key] = missing
            raise
        self._examples[key] = value
        return copy_json(value)

    def _first_valid(self, conj: Conj, depth: int, only_type: str | None) -> Any:
        for candidate in self.candidates(conj, depth, only_type=only_type):
            if self.valid(conj, candidate):
                return candidate
        raise Unbuildable(conj[0][0] if conj else "#")

    def candidates(
        self, conj: Conj, depth: int = 0, *, only_type: str | None = None
    ) -> Iterator[Any]:
        """Yield instances likely to be valid under `conj`, simplest first."""
        if depth > MAX_DEPTH:
            return
        self.budget.spend()
        shape = self.shape(conj)
        if shape.unions:
            for alternative in self.alternatives(conj, shape):
                yield from self.candidates(alternative, depth + 1, only_type=only_type)
            return
        if shape.enum is not None:
            values = [v for v in shape.enum if only_type is None or _json_type(v) == only_type]
            yield from sorted(values, key=lambda v: v is None)
            return
        for type_name in self._types(shape, only_type):
            yield from self._of_type(shape, type_name, depth)

    def alternatives(self, conj: Conj, shape: Shape) -> list[Conj]:
        """Split a conjunction with `anyOf`/`oneOf` into one conjunction per branch choice."""
        base = tuple(
            (pointer, _without_unions(schema)) if isinstance(schema, dict) else (pointer, schema)
            for pointer, schema in conj
        )
        # `conj` is already expanded, so only the chosen branches are expanded here;
        # expanding `base` again would bring back the unions it was stripped of.
        known = {pointer for pointer, _ in base}
        choices = [branches for _, branches in shape.unions]
        result = []
        for combination in itertools.islice(itertools.product(*choices), MAX_ALTERNATIVES):
            self.budget.spend()
            chosen = tuple(loc for loc in self.conj(list(combination)) if loc[0] not in known)
            result.append(base + chosen)
        return result

    def embed(
        self,
        conj: Conj,
        path: tuple[PathToken, ...],
        value: Any,
        depth: int = 0,
        *,
        checked: bool = True,
    ) -> Any:
        """Return an instance valid under `conj` except at `path`, where it holds `value`.

        With `checked` false, members off the path take their first candidate without
        validation: faster, and usually valid, so callers try it first and fall back.
        """
        if not path:
            return value
        if depth > MAX_DEPTH:
            raise Unbuildable(conj[0][0] if conj else "#")
        shape = self.shape(conj)
        if shape.unions:
            last: Any = None
            for alternative in self.alternatives(conj, shape):
                try:
                    last = self.embed(alternative, path, value, depth + 1, checked=checked)
                except Unbuildable:
                    continue
                if self.valid(conj, last):
                    return last
            if last is None:
                raise Unbuildable(conj[0][0])
            return last
        token, rest = path[0], path[1:]
        if isinstance(token, int):
            items = self.items(shape)
            inner = self.embed(items, rest, value, depth + 1, checked=checked)
            filler = [self._quiet_example(items, depth) for _ in range(_min_items(shape) - 1)]
            return [inner, *filler]
        base = self._object(shape, depth, skip=token, checked=checked)
        member = self.member(shape, token)
        base[token] = self.embed(member, rest, value, depth + 1, checked=checked)
        return base

    def items(self, shape: Shape) -> Conj:
        """Return the schemas each item of an array of `shape` must satisfy."""
        if shape.items_conj is None:
            shape.items_conj = self.conj(shape.items)
        return shape.items_conj

    def member(self, shape: Shape, name: str) -> Conj:
        """Return the schemas a member called `name` of an object of `shape` must satisfy."""
        found = shape.members.get(name)
        if found is None:
            found = shape.members[name] = self._member(shape, name)
        return found

    def _member(self, shape: Shape, name: str) -> Conj:
        if name in shape.properties:
            return self.conj(shape.properties[name])
        matched: list[Loc] = []
        for where, patterns in shape.keywords.get("patternProperties", []):
            for pattern, sub in patterns.items():
                try:
                    if search(pattern, name):
                        matched.append((f"{where}/{pattern}", sub))
                except (re.error, PatternTimedOut):
                    continue
        if matched:
            return self.conj(matched)
        return self.conj([loc for loc in shape.additional if isinstance(loc[1], dict)])

    def _types(self, shape: Shape, only_type: str | None) -> list[str]:
        allowed = effective_types(shape)
        if allowed is None:
            preferred = _hinted_type(shape)
            ordered = list(dict.fromkeys([preferred, *TYPE_ORDER] if preferred else TYPE_ORDER))
        else:
            ordered = [t for t in TYPE_ORDER if t in allowed]
        if only_type is not None:
            return [t for t in ordered if t == only_type]
        return ordered

    def _of_type(self, shape: Shape, type_name: str, depth: int) -> Iterator[Any]:
        # A member schema that no value satisfies leaves no object candidate, and an item
        # schema that no value satisfies leaves only the empty array.
        if type_name == "object":
            # An object of unchecked member examples is valid in the common case and
            # costs one validation instead of one per member; the caller validates it.
            try:
                yield self._object(shape, depth, checked=False)
                yield self._object(shape, depth)
            except Unbuildable:
                return
        elif type_name == "array":
            # As for objects: an unchecked item first, then one validated on its own.
            items = self.items(shape)
            count = 1 if shape.first("uniqueItems") else _min_items(shape)
            if count > MAX_WITNESS_LENGTH:
                raise Unbuildable(f"minItems {count} is past {MAX_WITNESS_LENGTH}")
            for fill in (self._first_candidate, self._quiet_example):
                try:
                    item = fill(items, depth)
                except Unbuildable:
                    continue
                yield [item] * count
            yield []
        elif type_name == "string":
            yield from self._strings(shape)
        elif type_name in ("integer", "number"):
            yield from _numbers(shape, type_name)
        elif type_name == "boolean":
            yield from (True, False)
        else:
            yield None

    def _object(
        self, shape: Shape, depth: int, skip: str | None = None, *, checked: bool = True
    ) -> dict[str, Any]:
        # Each object around a witness's path is built once, and its entry keeps the
        # shape, so the id is not reused. No helper: each event level adds a frame.
        key = (id(shape), depth, skip, checked)
        found = self._objects.get(key)
        if found is not None and found[0] is shape:
            built: dict[str, Any] = copy_json(found[1])
            return built
        value_of = self._quiet_example if checked else self._first_candidate
        result: dict[str, Any] = {}
        envelope = self._envelope if shape.pointer == self.resolver.document.root_pointer else {}
        for name in sorted(shape.required):
            if name == skip:
                continue
            member = self.member(shape, name)
            if name in envelope and self.valid(member, envelope[name]):
                result[name] = envelope[name]
            else:
                result[name] = value_of(member, depth)
        minimum = shape.first("minProperties") or 0
        for name in sorted(shape.properties):
            if len(result) + (skip is not None) >= minimum:
                break
            if name not in result and name != skip:
                result[name] = value_of(self.member(shape, name), depth)
        self._objects[key] = (shape, result)
        copied: dict[str, Any] = copy_json(result)
        return copied

    def _first_candidate(self, conj: Conj, depth: int) -> Any:
        if not conj:
            return "text"
        key = self._content_key(conj, depth) or conj_key(conj)
        if key not in self._unchecked:
            self._unchecked[key] = next(iter(self.candidates(conj, depth + 1)), _MISSING)
        found = self._unchecked[key]
        if found is _MISSING:
            raise Unbuildable(conj[0][0])
        return copy_json(found)

    def _content_key(self, conj: Conj, depth: int) -> tuple[Any, ...] | None:
        """Key a single schema without references by its text, or return None.

        Members of an object often share one schema text (`{"type": "string"}`), and
        such a schema's first candidate depends on nothing else, so it is built once.
        `repr` distinguishes 1, 1.0 and True, which `==` does not. The depth is part of
        the key because recursion stops at MAX_DEPTH.
        """
        if len(conj) != 1:
            return None
        pointer, schema = conj[0]
        if (
            not isinstance(schema, dict)
            or pointer == self.resolver.document.root_pointer
            or not self.resolver.self_contained(pointer)
        ):
            return None
        return ("text", repr(schema), depth)

    def _quiet_example(self, conj: Conj, depth: int) -> Any:
        if not conj:
            return "text"
        return self.example(conj, depth + 1)

    def _strings(self, shape: Shape) -> Iterator[str]:
        minimum = int(shape.first("minLength") or 0)
        maximum = shape.first("maxLength")
        fmt = shape.first("format")
        pattern = shape.first("pattern")
        if isinstance(pattern, str):
            yield from self._pattern_samples(pattern)
        if isinstance(fmt, str) and fmt in _FORMAT_SAMPLES:
            yield _FORMAT_SAMPLES[fmt]
        length = max(minimum, 1)
        if maximum is not None and length > maximum:
            length = int(maximum)
        if length > MAX_WITNESS_LENGTH:
            raise Unbuildable(f"minLength {length} is past {MAX_WITNESS_LENGTH}")
        yield "x" * length
        yield "text"

    def _pattern_samples(self, pattern: str) -> Iterator[str]:
        generator = pattern_sampler(self.random)
        for _ in range(8):
            try:
                yield generator.xeger(pattern)
            except Exception:
                return


def pattern_sampler(source: random.Random) -> Any:
    """Return an rstr generator whose repetitions (`+`, `*`, `{2,}`) stay short.

    rstr repeats up to 100 times, which makes a witness string hundreds of characters
    long. A few repetitions show a break as well, and can be read.
    """
    import rstr

    class ShortSamples(rstr.Rstr):
        def _handle_repeat(self, start_range: int, end_range: int, value: Any) -> str:
            if start_range > MAX_WITNESS_LENGTH:
                raise Unbuildable(f"a pattern repeats {start_range} times")
            limit = max(start_range, min(end_range, MAX_REPEAT))
            sample = str(super()._handle_repeat(start_range, limit, value))
            # Nested repeats multiply: each level stops past the witness bound.
            if len(sample) > MAX_WITNESS_LENGTH:
                raise Unbuildable(f"a pattern sample is longer than {MAX_WITNESS_LENGTH}")
            return sample

        def xeger(self, string_or_regex: Any) -> str:
            # Python's parser warns that `[[` may one day start a nested set. The
            # warning would reach stderr, and the pattern's meaning today is the one used.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                return str(super().xeger(string_or_regex))

    return ShortSamples(source)


def copy_json(value: Any) -> Any:
    """Return a deep copy of a JSON value, several times faster than `copy.deepcopy`,
    which tracks shared parts and cycles. JSON values hold no cycles, and a part
    shared twice (an array repeating one item) is copied apart."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


def conj_key(conj: Conj) -> tuple[Any, ...]:
    """Identify a conjunction by its pointers and the keys of each location.

    The walk puts booleans ("anything", "nothing") and copies stripped of their
    unions at real pointers, so the keys tell those apart from the document's node.
    """
    return tuple(
        [
            (pointer, schema if isinstance(schema, bool) else frozenset(schema))
            if isinstance(schema, bool | dict)
            else (pointer, repr(schema))
            for pointer, schema in conj
        ]
    )


def _envelope_values(resolver: Resolver) -> dict[str, Any]:
    """Return realistic envelope values for witnesses of an `AWSEvent` document."""
    if not resolver.document.envelope:
        return {}
    envelope = resolver.lookup(resolver.document.root_pointer)
    values: dict[str, Any] = {
        "version": "0",
        "id": "7c1c3b3e-7f6a-4a4e-9c55-0d1c2b3a4f5e",
        "account": "123456789012",
        "region": "us-east-1",
        "time": "2026-01-15T10:30:00Z",
        "resources": [],
    }
    if isinstance(envelope, dict):
        for name, key in (
            ("source", "x-amazon-events-source"),
            ("detail-type", "x-amazon-events-detail-type"),
        ):
            if isinstance(envelope.get(key), str):
                values[name] = envelope[key]
    return values


def _without_unions(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key not in ("anyOf", "oneOf")}


def _min_items(shape: Shape) -> int:
    return max(int(shape.first("minItems") or 0), 1)


def _hinted_type(shape: Shape) -> str | None:
    if shape.properties or shape.required or shape.additional:
        return "object"
    if shape.items:
        return "array"
    keys = shape.keywords
    if any(k in keys for k in ("minLength", "maxLength", "pattern", "format")):
        return "string"
    if any(k in keys for k in ("minimum", "maximum", "multipleOf")):
        return "number"
    return None


def _numbers(shape: Shape, type_name: str) -> Iterator[float | int]:
    low = shape.first("minimum")
    high = shape.first("maximum")
    step = shape.first("multipleOf")
    start = 0 if low is None else low
    if type_name == "integer":
        start = math.ceil(start)
    seeds = [start, start + 1, start + 2]
    if high is not None:
        seeds += [high, high - 1]
    if isinstance(step, int | float) and step > 0:
        multiple = math.ceil(start / step) * step
        seeds.insert(0, multiple)
        seeds.insert(1, multiple + step)
    if type_name == "number":
        seeds = [s + 0.5 for s in seeds]
    for seed in seeds:
        if type_name == "integer" and isinstance(seed, float) and seed.is_integer():
            seed = int(seed)
        yield seed


def _json_type(value: Any) -> str:
    return json_type(value)
