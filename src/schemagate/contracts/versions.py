"""Event-type versions: a breaking change is published as a new event type.

A naming rule is a template with `{name}` and `{version}`, such as `{name}.v{version}`
(the default: `OrderPlaced.v2`) or `{name}V{version}` (`OrderPlacedV2`). A name that
does not fit the template is version 1 of itself, and version 1 may also be spelled
with the template (`OrderPlaced.v1`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemagate.errors import ConfigError

DEFAULT_TEMPLATE = "{name}.v{version}"


@dataclass(frozen=True)
class VersionNaming:
    template: str = DEFAULT_TEMPLATE

    def __post_init__(self) -> None:
        if self.template.count("{name}") != 1 or self.template.count("{version}") != 1:
            raise ConfigError(
                f"invalid version_naming {self.template!r}; it needs {{name}} and "
                "{version} once each, as in '{name}.v{version}' or '{name}V{version}'"
            )
        if not self.template.startswith("{name}"):
            raise ConfigError(
                f"invalid version_naming {self.template!r}; start it with {{name}}, as in "
                "'{name}.v{version}'"
            )

    @property
    def _pattern(self) -> re.Pattern[str]:
        parts = re.split(r"(\{name\}|\{version\})", self.template)
        regex = ""
        for part in parts:
            if part == "{name}":
                regex += "(?P<name>.+?)"
            elif part == "{version}":
                regex += "(?P<version>[1-9][0-9]*)"
            else:
                regex += re.escape(part)
        return re.compile(f"^{regex}$")

    def parse(self, schema_name: str) -> tuple[str, int]:
        """Split a schema name into its event-type family and version number."""
        found = self._pattern.match(schema_name)
        if found is None:
            return schema_name, 1
        return found["name"], int(found["version"])

    def name(self, family: str, version: int) -> str:
        """Spell version `version` of a family; version 1 is the bare family name."""
        if version == 1:
            return family
        return self.template.replace("{name}", family).replace("{version}", str(version))

    def next_name(self, schema_name: str) -> str:
        family, version = self.parse(schema_name)
        return self.name(family, version + 1)
