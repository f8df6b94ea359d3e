"""`schemagate contract publish|verify|discover`: consumer contracts from the consumer side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from schemagate.cli.options import config_option, use_color
from schemagate.config import Settings, load_settings
from schemagate.errors import EXIT_GATE_FAILED, EXIT_OK, InputError, unwritable

if TYPE_CHECKING:
    from schemagate.contracts.model import Contract
    from schemagate.contracts.verify import Verification
    from schemagate.registry.base import Registry

DEFAULT_FILES = ("schemagate-contract.yaml", "schemagate-contract.yml", "schemagate-contract.json")

_FILE = click.argument("contract_file", required=False, type=click.Path(path_type=Path))
_REGISTRY = click.option(
    "--registry",
    "registry_uri",
    default=None,
    metavar="URI",
    help="Registry of the producer's event schemas: eventbridge:NAME or dir:SNAPSHOT_FOLDER "
    "(default: the configured registry).",
)
_CONFIG = config_option
_FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


@click.group(name="contract")
def command() -> None:
    """Publish, verify and discover consumer contracts.

    A contract names the fields a consumer reads from each event type; `check` on the
    producer side fails when a change breaks one of them.
    """


@command.command(name="publish")
@click.argument("contract_files", nargs=-1, type=click.Path(path_type=Path))
@_REGISTRY
@click.option(
    "--contracts",
    "contracts_uri",
    default=None,
    metavar="URI",
    help="Registry to store the contract in, when not the producer's registry: eventbridge:NAME.",
)
@_CONFIG
def publish(
    contract_files: tuple[Path, ...],
    registry_uri: str | None,
    contracts_uri: str | None,
    config_path: Path | None,
) -> None:
    """Store contract files in the registry (default: schemagate-contract.yaml).

    A folder stands for every .yaml, .yml and .json file under it, such as the output
    of `contract discover --out`. Each contract becomes the schema
    `schemagate.contract@CONSUMER`; publishing an unchanged contract writes nothing.
    Every file is read and validated before anything is written.
    """
    from schemagate.contracts.store import publish_contract, read_contract_files

    settings = load_settings(config_path)
    if not contract_files:
        contracts = [_load(None)]
    else:
        contracts = [c for path in contract_files for c in read_contract_files(path)]
    if not contracts:
        shown = ", ".join(map(str, contract_files))
        raise InputError(f"no contract files (.yaml, .yml, .json) in {shown}")
    _reject_duplicate_consumers(contracts)
    target = _contracts_registry(contracts_uri, registry_uri, settings)
    for contract in contracts:
        result = publish_contract(contract, target)
        state = "published" if result.changed else "unchanged"
        click.echo(
            f"{state}: contract of consumer {contract.consumer!r} is {result.name} version "
            f"{result.version} in {target.uri}"
        )


def _reject_duplicate_consumers(contracts: list[Contract]) -> None:
    seen: dict[str, str] = {}
    for contract in contracts:
        if contract.consumer in seen:
            raise InputError(
                f"{contract.source} and {seen[contract.consumer]} are both contracts of "
                f"consumer {contract.consumer!r}; merge them into one file"
            )
        seen[contract.consumer] = contract.source


@command.command(name="verify")
@_FILE
@_REGISTRY
@click.option(
    "--all-versions",
    is_flag=True,
    help="Check every registered version of each event type, not only the latest.",
)
@_FORMAT
@_CONFIG
def verify(
    contract_file: Path | None,
    registry_uri: str | None,
    all_versions: bool,
    output_format: str,
    config_path: Path | None,
) -> int:
    """Check that the registered event schemas declare every field CONTRACT_FILE reads.

    Exits 1 when a field or event type is missing, or is declared with a type the
    contract does not read.
    """
    from schemagate.contracts.verify import verify_contract

    settings = load_settings(config_path)
    contract = _load(contract_file)
    registry = _registry(registry_uri, settings)
    verification = verify_contract(contract, registry, all_versions)
    if output_format == "json":
        click.echo(json.dumps(verification.to_json(), indent=2, sort_keys=True))
    else:
        click.echo(_render(verification), nl=False)
    return EXIT_OK if verification.ok else EXIT_GATE_FAILED


@command.command(name="discover")
@click.option("--bus", required=True, help="Name of the event bus whose rules to read.")
@click.option(
    "--pipes",
    is_flag=True,
    help="Also read the filters of pipes whose source is a target of the bus's rules.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write one CONSUMER.contract.yaml per consumer into "
    "(default: print the contracts as JSON).",
)
@click.option("--force", is_flag=True, help="Overwrite contract files that already exist.")
def discover(bus: str, pipes: bool, out: Path | None, force: bool) -> None:
    """Derive a contract per rule target (and pipe) from the routing of an event bus.

    Exact values, prefix, suffix, numeric, exists and anything-but matchers become
    fields with the types they match. Region and credentials come from the standard
    AWS configuration.
    """
    from schemagate.contracts.discover import discover_contracts, events_client, pipes_client

    contracts = discover_contracts(bus, events_client(), pipes_client() if pipes else None)
    if out is None:
        click.echo(json.dumps([c.to_data() for c in contracts], indent=2))
        return
    written = _write_contracts(contracts, out, force)
    click.echo(f"derived {len(contracts)} contract(s) from bus {bus}; wrote {written} into {out}")


def _load(contract_file: Path | None) -> Contract:
    from schemagate.contracts.model import load_contract_file

    if contract_file is None:
        found = [Path(name) for name in DEFAULT_FILES if Path(name).is_file()]
        if not found:
            raise InputError(
                f"no contract file given and no {DEFAULT_FILES[0]} here; pass the file"
            )
        contract_file = found[0]
    return load_contract_file(contract_file)


def _registry(registry_uri: str | None, settings: Settings) -> Registry:
    from schemagate.registry.uri import open_registry

    uri = registry_uri or settings.registry
    if uri is None:
        raise InputError(
            "no registry given; pass --registry eventbridge:NAME, or set registry under "
            "[tool.schemagate]"
        )
    return open_registry(uri, base=settings.base if registry_uri is None else Path.cwd())


def _contracts_registry(
    contracts_uri: str | None, registry_uri: str | None, settings: Settings
) -> Registry:
    from schemagate.registry.uri import open_registry

    if contracts_uri is not None:
        return open_registry(contracts_uri, base=Path.cwd())
    configured = settings.contracts
    elsewhere = configured not in ("same", "none") and not configured.startswith("file:")
    if elsewhere and registry_uri is None:
        return open_registry(configured, base=settings.base)
    return _registry(registry_uri, settings)


def _render(verification: Verification) -> str:
    from schemagate.report.text import render_finding

    color = use_color()
    lines = []
    for result in verification.results:
        where = f"{result.schema}@{result.version}" if result.schema else "no schema"
        problems = result.findings
        state = "ok" if not problems else f"{len(problems)} problem(s)"
        lines.append(f"{result.selector} ({where}): {state}")
        for finding in problems:
            # The pointer is into the registered schema, so the finding names that version
            # rather than a line of the contract file.
            lines.extend("  " + line for line in render_finding(finding, where, color))
    verdict = "contract verified" if verification.ok else "contract FAILED"
    lines.append(f"{verdict}: consumer {verification.consumer!r} against {verification.registry}")
    return "\n".join(lines) + "\n"


def _write_contracts(contracts: list[Contract], out: Path, force: bool) -> int:
    from ruamel.yaml import YAML

    targets = [(out / f"{c.consumer}.contract.yaml", c) for c in contracts]
    existing = [str(path) for path, _ in targets if path.exists()]
    if existing and not force:
        raise InputError(
            f"{existing[0]} already exists; pass --force to overwrite, or choose another --out"
        )
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    try:
        out.mkdir(parents=True, exist_ok=True)
        for path, contract in targets:
            with path.open("w", encoding="utf-8") as stream:
                yaml.dump(contract.to_data(), stream)
    except OSError as exc:
        raise unwritable(out, exc) from None
    return len(targets)
