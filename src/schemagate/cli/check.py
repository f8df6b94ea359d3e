"""`schemagate check [PATHS]`: gate local schemas against their registered versions."""

from __future__ import annotations

from pathlib import Path

import click

from schemagate.cli.options import gate_options, resolve_mode, resolve_policy, use_color
from schemagate.config import load_settings
from schemagate.errors import EXIT_GATE_FAILED, EXIT_OK, InputError


@click.command(name="check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--registry",
    "registry_uri",
    default=None,
    help="Registry to compare with: eventbridge:NAME or dir:SNAPSHOT_FOLDER.",
)
@gate_options
@click.option(
    "--contracts",
    "contracts_uri",
    default=None,
    metavar="URI",
    help="Where consumer contracts live: same (the checked registry, the default), none, "
    "file:PATH, eventbridge:NAME or dir:SNAPSHOT_FOLDER.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Settings file (default: nearest schemagate.toml or pyproject.toml).",
)
def command(
    paths: tuple[Path, ...],
    registry_uri: str | None,
    mode_name: str | None,
    strict: bool | None,
    output_format: str,
    contracts_uri: str | None,
    config_path: Path | None,
) -> int:
    """Check local producer schemas (default: the configured schemas folder).

    Fails on breaking changes, on changes that break a field a consumer contract reads,
    and on schemas the registry does not have. Exits 0 when
    the gate passes, 1 when it fails, 2 on invalid input, 3 when the registry cannot
    be read.
    """
    from schemagate.contracts.gate import contract_review
    from schemagate.gate import check_schemas, discover
    from schemagate.registry import open_registry
    from schemagate.report.render import get_reporter

    reporter = get_reporter(output_format)
    settings = load_settings(config_path)
    uri = registry_uri or settings.registry
    if uri is None:
        raise InputError(
            "no registry given; pass --registry eventbridge:NAME or "
            "dir:FOLDER, or set registry under [tool.schemagate]"
        )
    base = settings.base if registry_uri is None else Path.cwd()
    registry = open_registry(uri, base=base)
    files = discover(list(paths) or [settings.schemas_path])
    if not files:
        raise InputError(
            f"no schema files (.json, .yaml, .yml) in "
            f"{', '.join(map(str, paths or (settings.schemas_path,)))}"
        )
    mode = resolve_mode(mode_name, settings.mode)
    policy = resolve_policy(strict, settings.policy)
    review = contract_review(contracts_uri or settings.contracts, registry, settings)
    result = check_schemas(
        files, registry, mode, policy, settings.names, settings.base, review=review
    )
    click.echo(reporter.check(result, use_color()), nl=False)
    return EXIT_OK if result.ok else EXIT_GATE_FAILED
