"""Settings from `[tool.schemagate]` in the nearest `pyproject.toml`, or `schemagate.toml`.

Command-line options override the file; the file overrides the defaults below. Unknown
keys are errors, so a misspelt setting never passes silently. The table is validated
against `data/config.schema.json`, which ships with the package for editors too.
"""

from __future__ import annotations

import datetime
import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemagate.config_schema import validate_table
from schemagate.errors import ConfigError, InputError
from schemagate.modes import Mode, Policy, parse_mode
from schemagate.overrides import AcceptedChange, Overrides
from schemagate.rules.catalogue import RULES, Severity

logger = logging.getLogger(__name__)

KNOWN_KEYS = frozenset(
    {
        "registry",
        "schemas",
        "mode",
        "policy",
        "names",
        "contracts",
        "version_naming",
        "lint",
        "fail-on",
        "allow-new",
        "severity",
        "accepted-changes",
    }
)


@dataclass(frozen=True)
class Settings:
    """Resolved settings; `base` is the folder relative paths in the file resolve against."""

    base: Path
    source: Path | None = None
    registry: str | None = None
    schemas: Path = Path("schemas")
    mode: Mode = Mode.FULL
    policy: Policy = Policy.TOLERANT
    names: dict[str, str] = field(default_factory=dict)
    # Where consumer contracts live: same, none, file:PATH or a registry URI.
    contracts: str = "same"
    version_naming: str | None = None
    # The raw `[tool.schemagate.lint]` table; `schemagate.lint.settings` validates it.
    lint: dict[str, Any] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    allow_new: bool = False
    severity: dict[str, Severity] = field(default_factory=dict)
    accepted: tuple[AcceptedChange, ...] = ()

    def overrides(self, today: datetime.date | None = None) -> Overrides:
        """Return the gate overrides these settings ask for."""
        return Overrides(
            severity=self.severity,
            fail_on=self.fail_on,
            accepted=self.accepted,
            allow_new=self.allow_new,
            today=today or datetime.date.today(),
        )

    @property
    def schemas_path(self) -> Path:
        return self.schemas if self.schemas.is_absolute() else self.base / self.schemas


def find_config(start: Path) -> Path | None:
    """Return the nearest `schemagate.toml`, or `pyproject.toml` with a schemagate table."""
    for folder in [start, *start.parents]:
        dedicated = folder / "schemagate.toml"
        if dedicated.is_file():
            return dedicated
        pyproject = folder / "pyproject.toml"
        if (
            pyproject.is_file()
            and "tool" in _read(pyproject)
            and "schemagate" in _read(pyproject)["tool"]
        ):
            return pyproject
    return None


def load_settings(explicit: Path | None = None, start: Path | None = None) -> Settings:
    """Load settings from `explicit`, or from the nearest configuration file."""
    if explicit is not None and explicit.is_dir():
        raise ConfigError(
            f"config file {explicit} is a folder; pass the settings file in it, for example "
            f"{explicit / 'schemagate.toml'}"
        )
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"config file {explicit} not found; pass an existing file to --config")
    path = explicit or find_config(start or Path.cwd())
    if path is None:
        return Settings(base=start or Path.cwd())
    table = _table(path)
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown == ["tool"] and path.name != "pyproject.toml":
        raise ConfigError(
            f"{path}: the [tool.schemagate] table belongs in pyproject.toml; in "
            f"{path.name} write the keys at the top level, without that header"
        )
    if unknown:
        raise ConfigError(
            f"{path}: unknown key {unknown[0]!r} in the schemagate settings; "
            f"known keys: {', '.join(sorted(KNOWN_KEYS))}"
        )
    validate_table(table, path)
    return Settings(
        base=path.parent,
        source=path,
        registry=_string(table, "registry", path),
        schemas=Path(_string(table, "schemas", path) or "schemas"),
        mode=_mode(table, path),
        policy=_policy(table, path),
        names=_names(table, path),
        contracts=_string(table, "contracts", path) or "same",
        version_naming=_string(table, "version_naming", path),
        lint=_lint(table, path),
        fail_on=Severity(table.get("fail-on", "error")),
        allow_new=bool(table.get("allow-new", False)),
        severity=_severities(table, path),
        accepted=_accepted(table, path),
    )


def _mode(table: dict[str, Any], path: Path) -> Mode:
    try:
        return parse_mode(_string(table, "mode", path) or "full")
    except InputError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None


def _table(path: Path) -> dict[str, Any]:
    data = _read(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("schemagate", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: schemagate settings must be a table")
    return data


def names_in_text(text: str, path: Path) -> dict[str, str]:
    """Return the name mapping of a settings file's text, such as the file at a git ref.

    Text that is no valid settings file maps nothing, and a warning is logged.
    """
    try:
        data = tomllib.loads(text)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("schemagate", {})
        return _names(data if isinstance(data, dict) else {}, path)
    except (tomllib.TOMLDecodeError, ConfigError, AttributeError) as exc:
        logger.warning("%s: names not read from an earlier version (%s)", path, exc)
        return {}


def _string(table: dict[str, Any], key: str, path: Path) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{path}: {key} must be a string, got {value!r}")
    return value


def _policy(table: dict[str, Any], path: Path) -> Policy:
    value = _string(table, "policy", path) or "tolerant"
    try:
        return Policy(value.lower())
    except ValueError:
        raise ConfigError(f"{path}: invalid policy {value!r}; use tolerant or strict") from None


def _names(table: dict[str, Any], path: Path) -> dict[str, str]:
    names = table.get("names", {})
    if not isinstance(names, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in names.items()
    ):
        raise ConfigError(f"{path}: names must map file stems or paths to registry schema names")
    return dict(names)


def _lint(table: dict[str, Any], path: Path) -> dict[str, Any]:
    value = table.get("lint", {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: lint must be a table, as in [tool.schemagate.lint]")
    return dict(value)


def _rule_id(rule: str, path: Path, where: str) -> str:
    if rule not in RULES:
        raise ConfigError(
            f"{path}: {where}: unknown rule ID {rule!r}; `schemagate rules` lists every rule ID"
        )
    return rule


def _severities(table: dict[str, Any], path: Path) -> dict[str, Severity]:
    return {
        _rule_id(rule, path, "severity"): Severity(value)
        for rule, value in table.get("severity", {}).items()
    }


def _accepted(table: dict[str, Any], path: Path) -> tuple[AcceptedChange, ...]:
    entries = []
    for index, entry in enumerate(table.get("accepted-changes", [])):
        where = f"accepted-changes[{index}]"
        entries.append(
            AcceptedChange(
                rule=_rule_id(entry["rule"], path, where),
                schema=entry["schema"],
                pointer=entry["pointer"],
                reason=entry["reason"],
                expires=_date(entry["expires"], path, where),
            )
        )
    return tuple(entries)


def _date(value: Any, path: Path, where: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            f"{path}: {where}: expires {value!r} is not a date; write it as YYYY-MM-DD"
        ) from None
