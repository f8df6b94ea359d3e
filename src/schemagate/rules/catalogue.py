"""Rule IDs are public API: a rule may be added, never renamed or removed.

Each row contains the ID, the default severity of a break it proves, a one-line
description, why the change breaks readers, and what to do instead.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort key: errors first."""
        return ("error", "warning", "info").index(self.value)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    description: str
    why: str
    fix: str


def _rule(rule_id: str, severity: Severity, description: str, why: str, fix: str) -> Rule:
    return Rule(rule_id, severity, description, why, fix)


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_ROWS = [
    _rule(
        "type-changed",
        E,
        "The set of JSON types a value may take changed.",
        "A reader typed for the old set rejects values of the types that were added or removed.",
        "Add a new optional property with the new type and deprecate the old one.",
    ),
    _rule(
        "type-narrowed",
        E,
        "A JSON type the value could take is no longer allowed.",
        "Events already produced, or replayed from an archive, carry the removed type.",
        "Keep accepting the old type, or publish a new event type for the new shape.",
    ),
    _rule(
        "type-widened",
        E,
        "The value may now take a JSON type it could not take before.",
        "Consumers still on the old schema reject values of the new type.",
        "Publish the wider type as a new optional property or a new event type.",
    ),
    _rule(
        "enum-value-removed",
        E,
        "An allowed enum value was removed.",
        "Old and replayed events carrying the removed value fail the new schema.",
        "Keep the value and document it as deprecated.",
    ),
    _rule(
        "enum-value-added",
        E,
        "A new enum value was added.",
        "Consumers on the old schema treat the enum as closed and reject the new value.",
        "Roll consumers forward first, or publish the value under a new property.",
    ),
    _rule(
        "enum-added",
        E,
        "The value is now restricted to a list of enum values.",
        "Old events may carry values outside the new list.",
        "Restrict new values in the producer without changing the schema's accepted set.",
    ),
    _rule(
        "enum-removed",
        E,
        "The list of enum values no longer restricts the value.",
        "Consumers on the old schema reject values outside their list.",
        "Keep the list, extending it only after consumers accept the new values.",
    ),
    _rule(
        "required-property-added",
        E,
        "A property became required.",
        "Old and replayed events that omit the property fail the new schema.",
        "Add the property as optional, with a default the consumer applies.",
    ),
    _rule(
        "required-property-removed",
        E,
        "A property is no longer required.",
        "Consumers on the old schema expect the property in every event.",
        "Keep sending the property until every consumer treats it as optional.",
    ),
    _rule(
        "property-added",
        INFO,
        "A property was declared.",
        "Under strict set semantics an open object already accepted any value under that name.",
        "Nothing to do for tolerant readers; under strict policy, declare it as a free value.",
    ),
    _rule(
        "property-removed",
        INFO,
        "A declared property was removed.",
        "Under strict set semantics the new open object accepts values the old one rejected.",
        "Nothing to do for tolerant readers; under strict policy, keep the declaration.",
    ),
    _rule(
        "property-possibly-renamed",
        W,
        "An optional property was removed and one with the same schema was added.",
        "A tolerant reader passes a rename in silence while the consumer loses its data.",
        "Send both names during a transition, or confirm the rename is intended.",
    ),
    _rule(
        "additional-properties-narrowed",
        E,
        "Object members outside the declared ones are restricted more than before.",
        "Old events with such members fail the new schema.",
        "Keep the old `additionalProperties` and restrict the producer instead.",
    ),
    _rule(
        "additional-properties-widened",
        E,
        "Object members outside the declared ones are allowed more than before.",
        "Consumers on the old schema reject the members the new schema allows.",
        "Roll consumers forward first, or declare the members as named properties.",
    ),
    _rule(
        "string-length-narrowed",
        E,
        "`minLength` rose or `maxLength` fell.",
        "Old events with strings of the excluded lengths fail the new schema.",
        "Keep the old bounds and validate the stricter length in the producer.",
    ),
    _rule(
        "string-length-widened",
        E,
        "`minLength` fell or `maxLength` rose.",
        "Consumers on the old schema reject strings of the newly allowed lengths.",
        "Roll consumers forward before producers send the new lengths.",
    ),
    _rule(
        "number-range-narrowed",
        E,
        "A numeric bound became stricter.",
        "Old events with numbers outside the new range fail the new schema.",
        "Keep the old bounds and enforce the new range in the producer.",
    ),
    _rule(
        "number-range-widened",
        E,
        "A numeric bound became looser.",
        "Consumers on the old schema reject numbers in the newly allowed range.",
        "Roll consumers forward before producers send the new values.",
    ),
    _rule(
        "multiple-of-changed",
        E,
        "`multipleOf` changed.",
        "Numbers valid under one divisor fail the other.",
        "Keep the old divisor, or publish a new property.",
    ),
    _rule(
        "array-length-narrowed",
        E,
        "`minItems` rose or `maxItems` fell.",
        "Old events with arrays of the excluded lengths fail the new schema.",
        "Keep the old bounds and enforce the new length in the producer.",
    ),
    _rule(
        "array-length-widened",
        E,
        "`minItems` fell or `maxItems` rose.",
        "Consumers on the old schema reject arrays of the newly allowed lengths.",
        "Roll consumers forward before producers send the new lengths.",
    ),
    _rule(
        "unique-items-changed",
        E,
        "`uniqueItems` was switched on or off.",
        "Arrays with repeated items are accepted by one schema and rejected by the other.",
        "Keep the old setting and deduplicate in the producer.",
    ),
    _rule(
        "format-changed",
        E,
        "The string `format` was added, removed or changed.",
        "Generated bindings enforce formats, so strings of the other format are rejected.",
        "Keep the old format, or publish the new one under a new property.",
    ),
    _rule(
        "pattern-changed",
        E,
        "The string `pattern` was added, removed or changed.",
        "Strings matching one expression but not the other are rejected.",
        "Keep the old pattern, or publish the new one under a new property.",
    ),
    _rule(
        "property-count-narrowed",
        E,
        "`minProperties` rose or `maxProperties` fell.",
        "Old events with objects of the excluded sizes fail the new schema.",
        "Keep the old bounds and enforce the new size in the producer.",
    ),
    _rule(
        "property-count-widened",
        E,
        "`minProperties` fell or `maxProperties` rose.",
        "Consumers on the old schema reject objects of the newly allowed sizes.",
        "Roll consumers forward before producers send objects of the new sizes.",
    ),
    _rule(
        "dependencies-changed",
        E,
        "`dependencies` (or `dependentRequired`/`dependentSchemas`) changed.",
        "An object holding the trigger property is valid under one rule set and not the other.",
        "Keep the old dependency, or make the dependent property optional on both sides.",
    ),
    _rule(
        "property-names-changed",
        E,
        "`propertyNames` changed (draft 6 on).",
        "An object with a member name that one rule accepts and the other rejects is valid "
        "under one schema only.",
        "Keep the old name rule, or widen it so that it accepts every name the old one did.",
    ),
    _rule(
        "conditional-changed",
        E,
        "`if`, `then` or `else` changed (draft 7 on).",
        "An object that selects a branch is checked against other constraints than before.",
        "Keep the old conditional, or make each branch accept every object it accepted before.",
    ),
    _rule(
        "pattern-properties-changed",
        E,
        "`patternProperties` gained, lost or changed a pattern or its schema.",
        "Members whose names match a pattern are checked against a different schema.",
        "Keep the old patterns and schemas, and declare new members by name.",
    ),
    _rule(
        "tuple-items-changed",
        E,
        "The positional `items` list, `prefixItems` or `additionalItems` changed.",
        "Arrays valid position by position under one schema fail the other.",
        "Keep the old positions; append new positions only where extra items were allowed.",
    ),
    _rule(
        "not-changed",
        E,
        "The schema under `not` changed.",
        "Values the new `not` excludes were valid before, or the reverse.",
        "Keep the old exclusion, or express the new one with `enum` or bounds.",
    ),
    _rule(
        "discriminator-changed",
        INFO,
        "The OpenAPI `discriminator` changed.",
        "Validators ignore it, but generated bindings dispatch union branches on it.",
        "Regenerate consumer bindings and check which branch each event now selects.",
    ),
    _rule(
        "union-branch-removed",
        E,
        "An `anyOf`/`oneOf` alternative is no longer accepted.",
        "Old events of the removed alternative fail the new schema.",
        "Keep the alternative and stop producing it instead.",
    ),
    _rule(
        "one-of-overlap",
        E,
        "An instance may match more than one branch of a changed `oneOf`.",
        "`oneOf` accepts an instance only when exactly one branch matches it.",
        "Make the branches exclusive, for example with a `const` discriminator property.",
    ),
    _rule(
        "union-branch-added",
        E,
        "A new `anyOf`/`oneOf` alternative is accepted.",
        "Consumers on the old schema reject events of the new alternative.",
        "Roll consumers forward first, or publish the alternative as a new event type.",
    ),
    _rule(
        "schema-changed",
        E,
        "The accepted set of events changed in a way no narrower rule describes.",
        "A witness event is accepted by one schema and rejected by the other.",
        "Read the witness event and restore the old constraint that rejects or accepts it.",
    ),
    _rule(
        "unproven",
        W,
        "A change might break readers, but no witness event could be built.",
        "The gate reports only breaks it can prove; this one needs a human look.",
        "Check the change by hand, then accept it in the configuration with a reason.",
    ),
    _rule(
        "event-routing-changed",
        E,
        "The event's `x-amazon-events-source` or `x-amazon-events-detail-type` changed.",
        "EventBridge rules match on source and detail-type, so rules written for the old "
        "values stop receiving these events, with no error anywhere.",
        "Keep the values and publish the new ones as a new event type.",
    ),
    _rule(
        "comparison-incomplete",
        E,
        "The comparison stopped at its work bound, or at Python's recursion limit, before "
        "it reached every change.",
        "Breaks past the bound are unproven, and the gate does not pass what it did not check.",
        "Simplify nested unions and references, or accept the change in the configuration "
        "with a reason after checking it by hand.",
    ),
    _rule(
        "annotation-changed",
        INFO,
        "A description, title, default, example or `x-` extension changed.",
        "Annotations do not change which events are valid.",
        "Nothing to do.",
    ),
    _rule(
        "schema-unregistered",
        E,
        "A local schema has no version in the registry.",
        "Producers would emit events whose schema consumers cannot look up.",
        "Register the schema with `schemagate publish`, or pass `--allow-new`.",
    ),
    _rule(
        "schema-deleted",
        E,
        "A schema file at the base ref, whose schema is registered there, was deleted.",
        "Consumers still subscribe to the event type, and archived events of it are "
        "replayed, so its schema must stay readable and its producer must keep to it.",
        "Restore the file. To retire the event type, record the deletion as an accepted "
        'change with pointer "" and a reason.',
    ),
    # Consumer contracts and event-type versions (schemagate.contracts).
    _rule(
        "contract-field-removed",
        E,
        "A field that a consumer contract reads is no longer declared.",
        "The consumer reads the field from every event; without it the consumer fails or "
        "silently loses data, even where a tolerant reader would allow the removal.",
        "Keep the field, or publish the change as the next event-type version.",
    ),
    _rule(
        "contract-field-retyped",
        E,
        "A field that a consumer contract reads may now hold a type the consumer rejects.",
        "The consumer parses the field as the type its contract names.",
        "Keep the old type and add a new field for the new one.",
    ),
    _rule(
        "contract-field-optional",
        E,
        "A required field that a consumer contract reads is no longer required.",
        "The consumer expects the field in every event and fails on events without it.",
        "Keep the field required until the consumer's contract no longer reads it.",
    ),
    _rule(
        "contract-field-unknown",
        W,
        "A consumer contract reads a field that the schema does not declare.",
        "The consumer waits for data that the producer never promised to send.",
        "Fix the field path in the contract, or ask the producer to declare the field.",
    ),
    _rule(
        "contract-field-type-mismatch",
        W,
        "A registered schema allows a type that a consumer contract does not read.",
        "The consumer parses the field as its contract's type and fails on the others.",
        "Widen the type in the contract and the consumer, or ask the producer to narrow it.",
    ),
    _rule(
        "contract-event-unknown",
        W,
        "A consumer contract names an event type that no registered schema matches.",
        "The consumer's contract protects nothing, so producers may break it unchecked.",
        "Use the schema name, detail-type or source@detail-type the registry holds.",
    ),
    _rule(
        "event-type-version-in-use",
        E,
        "A registered event-type version left the producer's schemas while a contract "
        "still reads it.",
        "Consumers subscribed to the old version stop receiving events.",
        "Keep producing the old version until every contract has moved to the new one.",
    ),
    _rule(
        "event-type-next-version",
        INFO,
        "A breaking change names the event type to publish it under instead.",
        "Breaking an event type in place breaks every consumer at once.",
        "Publish the changed schema under the next version name and retire the old one "
        "when no contract reads it.",
    ),
    # Lint rules for single event schemas (schemagate.lint).
    _rule(
        "idempotency-key-missing",
        W,
        "The detail schema declares no idempotency key.",
        "EventBridge delivers at least once, so consumers need a key to drop duplicates.",
        "Add a required idempotency key property, such as `idempotencyKey`.",
    ),
    _rule(
        "idempotency-key-optional",
        W,
        "The detail schema declares an idempotency key but does not require it.",
        "Events without the key cannot be deduplicated.",
        "List the idempotency key under `required`.",
    ),
    _rule(
        "event-source-missing",
        E,
        "An OpenAPI event schema has no `x-amazon-events-source` on its envelope.",
        "Registry tools and consumers find an event type's source through this extension.",
        "Add `x-amazon-events-source` with the event's source to the `AWSEvent` component.",
    ),
    _rule(
        "event-detail-type-missing",
        E,
        "An OpenAPI event schema has no `x-amazon-events-detail-type` on its envelope.",
        "Registry tools and consumers find an event type's detail-type through this extension.",
        "Add `x-amazon-events-detail-type` with the event's detail-type to the `AWSEvent` "
        "component.",
    ),
    _rule(
        "detail-empty",
        E,
        "The detail schema is an object that declares no properties.",
        "Consumers cannot rely on any field, so every field they read is unchecked.",
        "Declare the properties the event carries.",
    ),
    _rule(
        "property-name-style",
        W,
        "A property name does not follow the configured naming convention.",
        "Mixed conventions make consumers guess names, and a later fix is a breaking rename.",
        "Rename the property while the event type is new, or publish a new version.",
    ),
    _rule(
        "event-type-version-added",
        INFO,
        "A new schema is the next version of a registered event type.",
        "A new event type breaks no consumer of the previous version.",
        "Publish it, and keep producing the previous version during the transition.",
    ),
    _rule(
        "accepted-change-expired",
        E,
        "An accepted-changes entry in the settings is past its expiry date.",
        "The break it let through was meant to be fixed or reviewed by that date.",
        "Fix the break, or extend the entry's expiry date with a new reason.",
    ),
    _rule(
        "unknown-keyword",
        W,
        "A schema object has a key that no JSON Schema draft or OpenAPI 3.0 defines.",
        "Validators ignore unknown keys, so a misspelt keyword such as `requried` or "
        "`maxlength` constrains nothing.",
        "Spell the keyword as the draft does, or prefix an extension with `x-`.",
    ),
    _rule(
        "accepted-change-unused",
        INFO,
        "An accepted-changes entry matches no finding of the schema it names.",
        "A mistyped rule or pointer never lets its break through, and an entry whose break "
        "was fixed or published stays behind unnoticed.",
        "Copy the rule ID and pointer from the JSON report into the entry, or remove it.",
    ),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _ROWS}


def get_rule(rule_id: str) -> Rule:
    """Return the rule with this ID; an unknown ID is a defect in schemagate."""
    return RULES[rule_id]
