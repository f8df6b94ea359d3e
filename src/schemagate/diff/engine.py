"""Compare two schema documents and prove each break with a witness event.

The walk pairs old and new schema positions by structure (properties by name, items,
union branches by meaning), runs the keyword checks on each pair, and then turns each
change into findings: a direction is reported as a break only when a witness event is
valid for one side's reader and rejected by the other's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from schemagate.diff.budget import DEFAULT_WORK_LIMIT, WorkBudget, WorkLimitExceeded
from schemagate.diff.changes import Change, Deferred, PathToken
from schemagate.diff.examples import ExampleBuilder, Unbuildable, conj_key
from schemagate.diff.exclusive import exclusivity_change
from schemagate.diff.objects import compare_objects
from schemagate.diff.proof import DocumentValidator, Prover
from schemagate.diff.shape import Conj, Loc, Shape, effective_types, expand
from schemagate.load.document import (
    SYNTHETIC_ROOT,
    SchemaDocument,
    event_components,
    reads_alike,
)
from schemagate.modes import Direction, Mode, Policy
from schemagate.report.model import DiffResult, Finding, Witness
from schemagate.resolve.keywords import escape, mentions_reference
from schemagate.resolve.refs import Resolver
from schemagate.rules.catalogue import Severity, get_rule
from schemagate.rules.checks import checks_for

Path = tuple[PathToken, ...]

# Enum values tried as witnesses per change; the checks already propose the likeliest.
MAX_ENUM_CANDIDATES = 16


@dataclass
class Side:
    """One document with everything needed to build and check its instances."""

    resolver: Resolver
    validator: DocumentValidator
    examples: ExampleBuilder

    @classmethod
    def of(
        cls, document: SchemaDocument, policy: Policy, budget: WorkBudget | None = None
    ) -> Side:
        resolver = Resolver(document)
        resolver.check_references()
        validator = DocumentValidator(resolver, policy)
        return cls(resolver, validator, ExampleBuilder(resolver, validator, budget))

    @functools.cached_property
    def asserted_formats(self) -> frozenset[str]:
        return frozenset(self.validator.format_checker.checkers)

    def root(self) -> Conj:
        pointer = self.resolver.document.root_pointer
        return expand(self.resolver, (pointer, self.resolver.lookup(pointer)))


@dataclass
class Walk:
    """State of one comparison: the pairs already compared and the changes found."""

    old: Side
    new: Side
    policy: Policy
    budget: WorkBudget
    changes: list[Change] = field(default_factory=list)
    seen: set[tuple[tuple[Any, ...], tuple[Any, ...]]] = field(default_factory=set)
    # The schemas witnesses are built from: each document's root unless set.
    roots: tuple[Conj, Conj] | None = None

    def compare(self, old_conj: Conj, new_conj: Conj, path: Path) -> None:
        compare(self, old_conj, new_conj, path)

    def unchanged(self, old_locs: Sequence[Loc], new_locs: Sequence[Loc]) -> bool:
        """Tell whether two lists of locations are the same text, with references that
        lead to the same text, so comparing them would find nothing."""
        return _identical(self, old_locs, new_locs)

    def scratch(self) -> Walk:
        return Walk(self.old, self.new, self.policy, self.budget, [], set(self.seen), self.roots)


def compare(walk: Walk, old_conj: Conj, new_conj: Conj, path: Path) -> None:
    """Compare two conjunctions at one instance path, recording changes in `walk`."""
    # Keyed by pointers and each location's keys: the walk places "anything" (True)
    # and copies stripped of their unions at real pointers, which differ from the node.
    key = (conj_key(old_conj), conj_key(new_conj))
    if key in walk.seen:
        return
    walk.seen.add(key)
    walk.budget.spend()
    if _identical(walk, old_conj, new_conj):
        return
    old = walk.old.examples.shape(old_conj)
    new = walk.new.examples.shape(new_conj)
    if old.unions or new.unions:
        _compare_unions(walk, old, new, path)
        return
    for check in checks_for(old.keywords.keys() | new.keywords.keys()):
        for change in check(walk.old, walk.new, old, new):
            walk.changes.append(_with_enum_candidates(change, old, new, path))
    if _both_may_be(old, new, "object"):
        compare_objects(walk, old, new, path)
    if _both_may_be(old, new, "array") and (old.items or new.items):
        items_old = walk.old.examples.items(old) or ((old.pointer, True),)
        items_new = walk.new.examples.items(new) or ((new.pointer, True),)
        compare(walk, items_old, items_new, (*path, 0))


def _with_enum_candidates(change: Change, old: Shape, new: Shape, path: Path) -> Change:
    """Add each side's enum values as witness candidates: they are all that side accepts."""
    backward = change.backward
    forward = change.forward
    if Direction.BACKWARD in change.suspects and old.enum is not None:
        backward = Deferred(itertools.chain(backward, old.enum[:MAX_ENUM_CANDIDATES]))
    if Direction.FORWARD in change.suspects and new.enum is not None:
        forward = Deferred(itertools.chain(forward, new.enum[:MAX_ENUM_CANDIDATES]))
    # A check builds each change for this position alone, so it is completed in place:
    # `dataclasses.replace` took about 4% of the time of the containment pairs.
    object.__setattr__(change, "path", path)
    object.__setattr__(change, "backward", backward)
    object.__setattr__(change, "forward", forward)
    return change


def _identical(walk: Walk, old_conj: Sequence[Loc], new_conj: Sequence[Loc]) -> bool:
    """Tell whether two positions are the same text, and each `$ref` in them leads to the
    same text on both sides, so nothing changed.

    Most members of an evolving schema are untouched; skipping them keeps the walk
    proportional to what changed. Across two dialects, the text must also use only
    keywords that mean the same in both.
    """
    if len(old_conj) != len(new_conj):
        return False
    first = walk.old.resolver.document.dialect
    second = walk.new.resolver.document.dialect
    referring = []
    for old_loc, new_loc in zip(old_conj, new_conj, strict=True):
        same = _same_json(old_loc[1], new_loc[1])
        if same is None:
            return False
        if first is not second and not reads_alike(old_loc[1], first, second):
            return False
        if same:
            referring.append((old_loc, new_loc))
    return all(_same_targets(walk, old_loc, new_loc) for old_loc, new_loc in referring)


def _same_json(old: Any, new: Any) -> bool | None:
    """Compare two values as JSON: None where they differ, else whether they contain a
    reference keyword.

    Python's `==` is true for 1, 1.0 and True alike, so equal values are also compared
    by `repr`, which distinguishes them. A `repr` listing keys in another order counts
    as different: the walk then compares the two in full.
    """
    if old != new:
        return None
    text = repr(old)
    if text != repr(new):
        return None
    return mentions_reference(text)


def _same_targets(walk: Walk, old_loc: Loc, new_loc: Loc) -> bool:
    """Tell whether every reference inside two locations of the same text leads to the
    same text on both sides, and so on through the schemas they lead to.

    Only locations that are the document's own nodes are followed: the walk also places
    copies stripped of their unions, whose references belong to another text.
    """
    old_resolver = walk.old.resolver
    new_resolver = walk.new.resolver
    first = old_resolver.document.dialect
    second = new_resolver.document.dialect
    # Dynamic references depend on the path an event took, not on the text alone.
    dynamic = {*first.reference_keywords, *second.reference_keywords} - {"$ref"}
    pending = [(old_loc, new_loc)]
    followed: set[tuple[str, str]] = set()
    while pending:
        (old_pointer, old), (new_pointer, new) = pending.pop()
        if (old_pointer, new_pointer) in followed:
            continue
        followed.add((old_pointer, new_pointer))
        own = old_resolver.is_own_node(old_pointer, old)
        if not (own and new_resolver.is_own_node(new_pointer, new)):
            return False
        if dynamic and any(f"'{key}'" in repr(old) for key in dynamic):
            return False
        for where, ref in old_resolver.references_under(old_pointer):
            old_target = old_resolver.target(ref, where)
            new_target = new_resolver.target(ref, new_pointer + where[len(old_pointer) :])
            old_schema = old_resolver.lookup(old_target)
            new_schema = new_resolver.lookup(new_target)
            if _same_json(old_schema, new_schema) is None:
                return False
            if not reads_alike(old_schema, first, second):
                return False
            pending.append(((old_target, old_schema), (new_target, new_schema)))
    return True


def _both_may_be(old: Shape, new: Shape, type_name: str) -> bool:
    old_types = effective_types(old)
    new_types = effective_types(new)
    return (old_types is None or type_name in old_types) and (
        new_types is None or type_name in new_types
    )


def _compare_unions(walk: Walk, old: Shape, new: Shape, path: Path) -> None:
    old_alts = walk.old.examples.alternatives(old.locs, old) if old.unions else _by_type(old)
    new_alts = walk.new.examples.alternatives(new.locs, new) if new.unions else _by_type(new)
    if len(old_alts) == 1 and len(new_alts) == 1:
        compare(walk, old_alts[0], new_alts[0], path)
    else:
        for alt in old_alts:
            _cover(walk, alt, new_alts, Direction.BACKWARD, path)
        for alt in new_alts:
            _cover(walk, alt, old_alts, Direction.FORWARD, path)
    for change in (
        exclusivity_change(walk.old, walk.new, old, new, old_alts, Direction.BACKWARD),
        exclusivity_change(walk.new, walk.old, new, old, new_alts, Direction.FORWARD),
    ):
        if change is not None:
            walk.changes.append(dataclasses.replace(change, path=path))


def _by_type(shape: Shape) -> list[Conj]:
    """Return a schema without unions as alternatives, one per type it lists.

    `type: ["string", "null"]` is the union `anyOf: [{string}, {null}]` written another
    way, so each of its types is matched with a branch of the other side on its own.
    """
    types = effective_types(shape)
    if types is None or len(types) < 2:
        return [shape.locs]
    # An integer is a number, so "number" alone stands for both.
    listed = sorted(types - {"integer"} if "number" in types else types)
    if len(listed) < 2:
        return [shape.locs]
    return [(*shape.locs, (shape.pointer, {"type": name})) for name in listed]


# Numbers the groups of changes that explain one unmatched union alternative.
_GROUPS = itertools.count(1)
# Bounds the probes kept for one alternative and the candidates each one tries.
MAX_PROBES = 8
MAX_PROBE_CANDIDATES = 12


def _cover(walk: Walk, alt: Conj, others: list[Conj], direction: Direction, path: Path) -> None:
    """Match one alternative to an alternative on the other side that accepts all of it.

    When none does, the alternative is reported as removed (or added). The changes
    against the closest alternative follow as probes of the same group, because their
    own candidates often prove a break (a retyped member inside a branch) where the
    alternative's smallest example, which omits optional members, proves nothing.
    """
    best: list[Change] | None = None
    for other in others:
        scratch = walk.scratch()
        pair = (alt, other) if direction is Direction.BACKWARD else (other, alt)
        compare(scratch, pair[0], pair[1], path)
        breaking = [c for c in scratch.changes if direction in c.suspects]
        if not breaking:
            return
        if best is None or _distance(breaking, path) < _distance(best, path):
            best = breaking
    group = next(_GROUPS)
    pointer = alt[0][0]
    backward = direction is Direction.BACKWARD
    side = walk.old if backward else walk.new
    candidates = Deferred(_examples_of(side, alt))
    rule = "union-branch-removed" if backward else "union-branch-added"
    message = (
        "alternative no longer accepted by any new branch"
        if backward
        else "new alternative not accepted by any old branch"
    )
    walk.changes.append(
        Change(
            rule,
            message,
            pointer if backward else None,
            None if backward else pointer,
            path=path,
            suspects=frozenset({direction}),
            backward=candidates if backward else (),
            forward=() if backward else candidates,
            group=group,
        )
    )
    for change in (best or [])[:MAX_PROBES]:
        walk.changes.append(
            dataclasses.replace(
                change,
                suspects=frozenset({direction}),
                probe=True,
                group=group,
                branch=(len(path), alt),
            )
        )


def _examples_of(side: Side, conj: Conj) -> Iterator[Any]:
    with contextlib.suppress(Unbuildable):
        yield side.examples.example(conj)


def _distance(breaking: list[Change], path: Path) -> tuple[int, int]:
    """Rank how far apart two alternatives are: a different type at the union first,
    then the number of breaking changes, so an object branch pairs with an object one."""
    retyped = sum(c.rule.startswith("type-") and c.path == path for c in breaking)
    return (retyped, len(breaking))


def diff_documents(
    old: SchemaDocument,
    new: SchemaDocument,
    mode: Mode,
    policy: Policy = Policy.TOLERANT,
    *,
    work_limit: int = DEFAULT_WORK_LIMIT,
) -> DiffResult:
    """Compare two documents under a mode and policy and prove every reported break.

    A pair that needs more than `work_limit` units of work (see `diff.budget`) keeps
    the findings proven so far and gets one `unproven` finding saying the comparison
    stopped.
    """
    if _same_document(old, new):
        # Every position pairs with itself, so nothing can change; the references are
        # still checked, as a changed document's would be.
        Resolver(new).check_references()
        return DiffResult(compatible=True, mode=mode, policy=policy, findings=[])
    budget = WorkBudget(work_limit)
    old_side = Side.of(old, policy, budget)
    new_side = Side.of(new, policy, budget)
    stopped: Exception | None = None
    findings: list[Finding] = []
    scopes = _scopes(old_side, new_side, policy, budget)
    while stopped is None:
        try:
            walk, prover, roots = next(scopes)
        except StopIteration:
            break
        except (WorkLimitExceeded, RecursionError) as exc:
            stopped = exc
            break
        try:
            if roots is not None:
                compare(walk, roots[0], roots[1], ())
        except (WorkLimitExceeded, RecursionError) as exc:
            stopped = exc
        proven: set[tuple[int, Direction]] = set()
        # An alternative's unproven note waits until its group's probes have run.
        waiting: list[tuple[tuple[int, Direction], Finding]] = []
        for change in walk.changes:
            try:
                for finding in _findings(walk, prover, change, mode, proven):
                    if change.group and finding.rule == "unproven":
                        waiting += [((change.group, d), finding) for d in change.suspects]
                    else:
                        findings.append(finding)
            except (WorkLimitExceeded, RecursionError) as exc:
                stopped = exc
                break
        findings += [finding for key, finding in waiting if key not in proven]
    if stopped is not None:
        findings.append(_stopped_finding(old, new, mode, work_limit, stopped))
    return result_of(findings, mode, policy)


def result_of(findings: list[Finding], mode: Mode, policy: Policy) -> DiffResult:
    """Return a result with `findings` in report order, compatible when none is an error.

    A recursive schema reaches one schema position again deeper in the event. A note
    without a witness repeated there is dropped, keeping the one at the shortest path.
    One change found again through several union alternatives is reported once, with
    a witness for each direction it breaks.
    """
    reported: list[Finding] = []
    shortest: dict[tuple[Any, ...], int] = {}
    proven: dict[tuple[Any, ...], int] = {}
    for finding in findings:
        key: tuple[Any, ...] = (finding.rule, finding.severity, finding.message)
        key += (finding.old_pointer, finding.new_pointer)
        if finding.witnesses:
            # One change proven in two directions may differ in severity by mode.
            key = (*key[:1], *key[2:], finding.path)
            index = proven.get(key)
            if index is not None and _mergeable(reported[index], finding):
                reported[index] = _merged(reported[index], finding)
            else:
                proven[key] = len(reported)
                reported.append(finding)
            continue
        if key not in shortest:
            shortest[key] = len(reported)
            reported.append(finding)
        elif len(finding.path) < len(reported[shortest[key]].path):
            reported[shortest[key]] = finding
    ordered = sorted(
        reported,
        key=lambda f: (f.severity.rank, f.new_pointer or f.old_pointer or "", f.rule),
    )
    compatible = not any(f.severity is Severity.ERROR for f in ordered)
    return DiffResult(compatible=compatible, mode=mode, policy=policy, findings=ordered)


def _mergeable(first: Finding, second: Finding) -> bool:
    """Tell whether two reports are of one change, found through several alternatives.

    Reports of added or removed alternatives at one union share their pointer and
    message, so they are one change only where their events agree.
    """
    if not first.rule.startswith("union-branch-"):
        return True
    mine = {w.direction: w for w in first.witnesses}
    return all(mine.get(w.direction, w) == w for w in second.witnesses)


def _merged(first: Finding, second: Finding) -> Finding:
    extra = tuple(w for w in second.witnesses if w.direction not in first.breaks)
    witnesses = tuple(sorted((*first.witnesses, *extra), key=lambda w: w.direction))
    severity = min(first.severity, second.severity, key=lambda s: s.rank)
    return dataclasses.replace(
        first, severity=severity, breaks=first.breaks | second.breaks, witnesses=witnesses
    )


def _scopes(
    old_side: Side, new_side: Side, policy: Policy, budget: WorkBudget
) -> Iterator[tuple[Walk, Prover, tuple[Conj, Conj] | None]]:
    """Yield the comparisons a pair of documents needs: a walk, its prover, and the
    schemas to walk from (None when the walk's changes are already listed).

    Documents whose root is the union of several components (OpenAPI without an
    `AWSEvent`) compare each component with the one of the same name, so that another
    component accepting the same events cannot hide a change. A component on one side
    only is a removed or added union branch, proven against the whole documents.
    """
    old_doc = old_side.resolver.document
    new_doc = new_side.resolver.document
    synthetic = f"#/{SYNTHETIC_ROOT}"
    whole = Prover(old_side.validator, new_side.validator)
    # NOTE: a document going from several components to one is still compared as a
    # union with the other's root, so a removed component is reported at the union.
    if old_doc.root_pointer != synthetic or new_doc.root_pointer != synthetic:
        yield Walk(old_side, new_side, policy, budget), whole, (old_side.root(), new_side.root())
        return
    old_names = set(event_components(old_doc.data["components"]["schemas"]))
    new_names = set(event_components(new_doc.data["components"]["schemas"]))
    for name in sorted(old_names & new_names):
        pointer = f"#/components/schemas/{escape(name)}"
        roots = (_component(old_side, pointer), _component(new_side, pointer))
        walk = Walk(old_side, new_side, policy, budget, roots=roots)
        yield walk, Prover(old_side.validator, new_side.validator, pointer, pointer), roots
    branches = Walk(old_side, new_side, policy, budget)
    for name in sorted(old_names - new_names):
        branches.changes.append(_component_change(old_side, name, Direction.BACKWARD))
    for name in sorted(new_names - old_names):
        branches.changes.append(_component_change(new_side, name, Direction.FORWARD))
    if branches.changes:
        yield branches, whole, None


def _component(side: Side, pointer: str) -> Conj:
    return expand(side.resolver, (pointer, side.resolver.lookup(pointer)))


def _component_change(side: Side, name: str, direction: Direction) -> Change:
    """Describe a component present on one side only, with its example as the candidate."""
    pointer = f"#/components/schemas/{escape(name)}"
    candidates = Deferred(_examples_of(side, _component(side, pointer)))
    backward = direction is Direction.BACKWARD
    return Change(
        "union-branch-removed" if backward else "union-branch-added",
        f"component {name!r} removed" if backward else f"component {name!r} added",
        pointer if backward else None,
        None if backward else pointer,
        suspects=frozenset({direction}),
        backward=candidates if backward else (),
        forward=() if backward else candidates,
    )


def _same_document(old: SchemaDocument, new: SchemaDocument) -> bool:
    """Tell whether two documents are the same JSON value read in the same dialect."""
    if old.kind is not new.kind or old.dialect is not new.dialect:
        return False
    if old.text and old.text == new.text:
        return True
    if old.data != new.data:
        return False
    # Python's `==` is true for 1, 1.0 and True alike, and JSON text distinguishes them.
    return json.dumps(old.data, sort_keys=True) == json.dumps(new.data, sort_keys=True)


def _stopped_finding(
    old: SchemaDocument, new: SchemaDocument, mode: Mode, work_limit: int, reason: Exception
) -> Finding:
    # The gate fails closed: a comparison it could not finish is an error, not a pass.
    if isinstance(reason, RecursionError):
        cause = (
            "comparison stopped where references nest the event deeper than Python's "
            "recursion limit allows"
        )
    else:
        cause = (
            f"comparison stopped after {work_limit} units of work (nested unions or "
            "references multiply the pairs to compare)"
        )
    return Finding(
        "comparison-incomplete",
        Severity.ERROR if mode.directions else Severity.INFO,
        frozenset(),
        old.root_pointer,
        new.root_pointer,
        f"{cause}; breaks past that point are unproven, so check the change by hand",
        (),
        (),
    )


def _findings(
    walk: Walk, prover: Prover, change: Change, mode: Mode, proven: set[tuple[int, Direction]]
) -> Iterator[Finding]:
    """Prove `change` in each suspected direction the mode checks and describe the result.

    A mode that checks no direction (NONE) proves every suspected one, as a report of
    what the change breaks. `proven` collects (group, direction) for the proven changes
    of a group: the probes that follow an alternative proven in a direction are not
    tried in it.
    """
    witnesses: list[Witness] = []
    unproven: list[Direction] = []
    checked_suspects = change.suspects & mode.directions if mode.directions else change.suspects
    for direction in sorted(checked_suspects):
        if change.probe and (change.group, direction) in proven:
            continue
        witness = _prove(walk, prover, change, direction)
        if witness is None:
            unproven.append(direction)
        else:
            witnesses.append(witness)
            if change.group:
                proven.add((change.group, direction))
    breaks = frozenset(w.direction for w in witnesses)
    rule = get_rule(change.rule)
    checked = breaks & mode.directions
    # A change with no suspected direction is advice (a possible rename, an annotation)
    # and keeps a warning or info severity; an error needs a proven break.
    advice = not change.suspects and rule.severity is not Severity.ERROR
    severity = rule.severity if checked or advice else Severity.INFO
    if breaks or not change.suspects:
        yield Finding(
            rule.id,
            severity,
            breaks,
            change.old_pointer,
            change.new_pointer,
            change.message,
            tuple(witnesses),
            change.path,
        )
    if unproven and not change.probe:
        gated = frozenset(unproven) & mode.directions
        yield Finding(
            "unproven",
            Severity.WARNING if gated else Severity.INFO,
            frozenset(),
            change.old_pointer,
            change.new_pointer,
            f"{change.rule}: {change.message}; no witness event for "
            f"{' or '.join(sorted(unproven))} could be built, so check it by hand",
            (),
            change.path,
        )


def _embedded(side: Side, root: Conj, change: Change, candidate: Any, checked: bool) -> Any:
    """Build the event that has `candidate` at the change's path.

    A change found inside one union alternative is built through that alternative,
    and the result placed at the union, rather than trying every alternative there.
    """
    if change.branch is None:
        return side.examples.embed(root, change.path, candidate, checked=checked)
    depth, alternative = change.branch
    inner = side.examples.embed(alternative, change.path[depth:], candidate, checked=checked)
    return side.examples.embed(root, change.path[:depth], inner, checked=checked)


def _prove(walk: Walk, prover: Prover, change: Change, direction: Direction) -> Witness | None:
    side = walk.old if direction is Direction.BACKWARD else walk.new
    target = walk.new if direction is Direction.BACKWARD else walk.old
    if walk.roots is None:
        root, target_root = side.root(), target.root()
    elif direction is Direction.BACKWARD:
        root, target_root = walk.roots
    else:
        target_root, root = walk.roots
    candidates = change.candidates(direction)
    if change.group and change.probe:
        # A probe only offers a likelier witness for its group's alternative, so it
        # tries its first few candidates. Most of the cost of a union lies in probes.
        candidates = itertools.islice(candidates, MAX_PROBE_CANDIDATES)
    # An event built from the source side's examples keeps their values at members
    # changed elsewhere, where the target may reject it for that change too. Built from
    # the target side's examples, with the same value at this change, it breaks for
    # this one alone, so it is tried first where there are such changes.
    # NOTE: where the source side rejects the target-based event, the source-based one
    # may still be rejected only for another change, as between unrelated event types.
    bases = [(side, root)]
    if change.branch is None and _changed_elsewhere(walk, change):
        bases.insert(0, (target, target_root))
    for candidate in candidates:
        for checked in (False, True):
            accepted = False
            for base, base_root in bases:
                try:
                    event = _embedded(base, base_root, change, candidate, checked)
                except Unbuildable:
                    continue
                if not prover.source_accepts(direction, event):
                    continue
                if prover.target_rejects(direction, event):
                    return Witness(direction, event)
                # Both sides accept the candidate here. From the target side's examples
                # that shows this change does not reject it, so an event from the source
                # side's examples that the target rejects would break for another change.
                accepted = True
                break
            if accepted:
                # Rebuilding the event from checked members only makes another event
                # both accept, so try the next candidate.
                break
    return None


def _changed_elsewhere(walk: Walk, change: Change) -> bool:
    """Tell whether the walk found a change that may reject events anywhere but at or
    inside `change`'s path: beside it, or around it, as a member made required there."""
    path = change.path
    for other in walk.changes:
        if other is change or not other.suspects:
            continue
        if other.path[: len(path)] != path:
            return True
    return False
