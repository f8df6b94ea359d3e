"""Settings of `schemagate lint`, from the `[tool.schemagate.lint]` table.

    [tool.schemagate.lint]
    idempotency-key = "idempotencyKey"    # or a list of accepted names
    naming = "camelCase"                  # snake_case, kebab-case, PascalCase or off
    disable = ["property-name-style"]     # lint rule IDs to skip

Severities of lint rules are overridden in `[tool.schemagate.severity]`, as for every
other rule ID.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from schemagate.errors import ConfigError

DEFAULT_IDEMPOTENCY_KEYS = ("idempotencyKey",)
NAMING_STYLES = {
    "camelCase": re.compile(r"^[a-z][a-zA-Z0-9]*$"),
    "snake_case": re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"),
    "kebab-case": re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"),
    "PascalCase": re.compile(r"^[A-Z][a-zA-Z0-9]*$"),
}
LINT_RULES = (
    "idempotency-key-missing",
    "idempotency-key-optional",
    "event-source-missing",
    "event-detail-type-missing",
    "detail-empty",
    "property-name-style",
    "unknown-keyword",
)
_KEYS = frozenset({"idempotency-key", "naming", "disable"})


@dataclass(frozen=True)
class LintSettings:
    idempotency_keys: tuple[str, ...] = DEFAULT_IDEMPOTENCY_KEYS
    # None turns the naming rule off.
    naming: str | None = "camelCase"
    disabled: frozenset[str] = field(default_factory=frozenset)

    def enabled(self, rule_id: str) -> bool:
        return rule_id not in self.disabled


def lint_settings(
    table: Mapping[str, Any], source: str = "[tool.schemagate.lint]"
) -> LintSettings:
    """Validate the lint table; each error names the key and the accepted values."""
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(
            f"{source}: unknown key {unknown[0]!r}; known keys: {', '.join(sorted(_KEYS))}"
        )
    return LintSettings(
        idempotency_keys=_keys(table.get("idempotency-key"), source),
        naming=_naming(table.get("naming", "camelCase"), source),
        disabled=_disabled(table.get("disable", []), source),
    )


def _keys(value: Any, source: str) -> tuple[str, ...]:
    if value is None:
        return DEFAULT_IDEMPOTENCY_KEYS
    names = [value] if isinstance(value, str) else value
    if (
        not isinstance(names, list)
        or not names
        or not all(isinstance(n, str) and n for n in names)
    ):
        raise ConfigError(
            f"{source}: idempotency-key must be a property name or a list of them, got {value!r}"
        )
    return tuple(names)


def _naming(value: Any, source: str) -> str | None:
    if value == "off":
        return None
    if value not in NAMING_STYLES:
        raise ConfigError(
            f"{source}: invalid naming {value!r}; use one of {', '.join(NAMING_STYLES)} or off"
        )
    return str(value)


def _disabled(value: Any, source: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: disable must be a list of lint rule IDs, got {value!r}")
    for rule_id in value:
        if rule_id not in LINT_RULES:
            raise ConfigError(
                f"{source}: disable lists unknown lint rule {rule_id!r}; lint rules: "
                f"{', '.join(LINT_RULES)}"
            )
    return frozenset(value)
