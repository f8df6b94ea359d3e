"""Collect the schemas to generate from: registry versions or local files."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from schemagate.codegen.package import SchemaInput
from schemagate.errors import InputError
from schemagate.load import load_file, load_text
from schemagate.registry.base import Registry


@dataclass(frozen=True)
class SchemaSpec:
    """A `--schema NAME[@VERSION]` value; `version` None means the latest version."""

    name: str
    version: str | None


def parse_spec(text: str) -> SchemaSpec:
    """Parse `NAME` or `NAME@VERSION`.

    Registry names contain `@` themselves (`aws.ec2@EC2InstanceStateChangeNotification`),
    so only a trailing `@` followed by digits is read as a version.
    """
    name, sep, version = text.rpartition("@")
    if not sep or not (version.isascii() and version.isdigit()):
        name, version = text, ""
    if sep and text.endswith("@"):
        raise InputError(f"invalid --schema {text!r}: no version after '@'; use NAME@VERSION")
    if not name.strip():
        raise InputError(f"invalid --schema {text!r}: no schema name; use NAME or NAME@VERSION")
    if version and int(version) < 1:
        raise InputError(f"invalid --schema {text!r}: versions start at 1")
    return SchemaSpec(name, str(int(version)) if version else None)


def registry_inputs(registry: Registry, uri: str, specs: list[SchemaSpec]) -> list[SchemaInput]:
    """Read the requested versions (every schema's latest when `specs` is empty)."""
    if not specs:
        from schemagate.contracts.store import is_contract_name

        # Consumer contracts are stored as schemas too, but describe no event.
        listed = [s.name for s in registry.list_schemas() if not is_contract_name(s.name)]
        specs = [SchemaSpec(name, None) for name in listed]
        if not specs:
            raise InputError(
                f"registry {uri} contains no schemas, so there is nothing to generate; "
                "check the registry name"
            )
    _reject_duplicates([spec.name for spec in specs], "--schema")
    inputs = []
    for spec in specs:
        found = registry.get_version(spec.name, spec.version)
        if found is None:
            raise InputError(_missing_message(registry, uri, spec))
        source = f"{uri} {found.name}@{found.version}"
        document = load_text(found.content, source)
        inputs.append(SchemaInput(found.name, document, registry=uri, version=found.version))
    return inputs


def _missing_message(registry: Registry, uri: str, spec: SchemaSpec) -> str:
    versions = registry.list_versions(spec.name)
    if not versions:
        return (
            f"schema {spec.name!r} not found in registry {uri}; "
            "check the name with `schemagate pull` or the registry console"
        )
    return (
        f"version {spec.version} of schema {spec.name!r} not found in registry {uri}; "
        f"registered versions: {', '.join(versions)}"
    )


def file_inputs(files: list[Path], names: dict[str, str], base: Path) -> list[SchemaInput]:
    """Load local schema files; a file's schema name is mapped in the settings or its stem."""
    from schemagate.gate import schema_name

    inputs = []
    for path in files:
        name = schema_name(path, names, base)
        inputs.append(SchemaInput(name, load_file(path), path=_display_path(path)))
    _reject_duplicates([item.name for item in inputs], "schema files")
    return inputs


def _display_path(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    return path.name


def _reject_duplicates(names: list[str], where: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(
                f"schema {name!r} appears twice in the {where}; generate each schema once"
            )
        seen.add(name)
