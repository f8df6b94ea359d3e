"""`schemagate publish [PATHS]`: register new schemas and versions that pass the gate."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from schemagate.cli.options import (
    config_option,
    policy_option,
    resolve_mode,
    resolve_policy,
    use_color,
)
from schemagate.cli.progress import registry_read_options
from schemagate.cli.since import since_option
from schemagate.config import load_settings
from schemagate.errors import EXIT_GATE_FAILED, EXIT_OK, InputError

if TYPE_CHECKING:
    from schemagate.registry.publish import PublishResult


@click.command(name="publish")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--registry",
    "registry_uri",
    default=None,
    help="Registry to write to: eventbridge:NAME (default: the configured registry).",
)
@click.option("--mode", "mode_name", default=None, help="Compatibility mode of the gate.")
@policy_option
@since_option
@click.option(
    "--dry-run", is_flag=True, help="Gate and list what would be created, but write nothing."
)
@click.option(
    "--allow-breaking",
    default=None,
    metavar="REASON",
    help="Report breaking findings as warnings and publish anyway, giving REASON in the "
    "report (as a pull request with the allow label did).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@config_option
@registry_read_options
def command(
    paths: tuple[Path, ...],
    registry_uri: str | None,
    mode_name: str | None,
    strict: bool | None,
    since: timedelta | None,
    dry_run: bool,
    allow_breaking: str | None,
    output_format: str,
    config_path: Path | None,
    jobs: int,
    cache_dir: Path | None,
) -> int:
    """Register local schemas whose content changed, after the gate passes.

    Runs the same gate as `check` against the latest registered versions and writes
    nothing when it fails. Unchanged schemas create no version. Right before each write
    the latest version is read again. If another writer published a version the gate
    did not check, that schema and the rest are not written.

    Exits 0 when everything was published (or would be, with --dry-run), 1 when the gate
    failed and nothing was written, 2 on invalid input, 3 on a registry error or a
    concurrent writer (versions created before it are listed).
    """
    import dataclasses

    from schemagate.contracts.gate import contract_review
    from schemagate.gate import discover
    from schemagate.registry import open_registry
    from schemagate.registry.cached import CachedEventBridgeRegistry
    from schemagate.registry.publish import publish

    if allow_breaking is not None and not allow_breaking.strip():
        raise InputError(
            f"invalid --allow-breaking {allow_breaking!r}: the reason is empty; give the "
            "reason the report shows, for example --allow-breaking 'consumers migrated'"
        )
    settings = load_settings(config_path)
    uri = registry_uri or settings.registry
    if uri is None or not uri.startswith("eventbridge:"):
        raise InputError(
            f"publish writes to an EventBridge registry, not {uri!r}; pass "
            "--registry eventbridge:NAME or set registry in the settings file"
        )
    files = discover(list(paths) or [settings.schemas_path])
    if not files:
        raise InputError(f"no schema files (.json, .yaml, .yml) in {settings.schemas_path}")
    registry = open_registry(uri, cache_root=cache_dir, jobs=jobs)
    assert isinstance(registry, CachedEventBridgeRegistry)
    mode = resolve_mode(mode_name, settings.mode)
    policy = resolve_policy(strict, settings.policy)
    review = contract_review(settings.contracts, registry, settings)
    # The settings' severities and accepted changes apply as in `check`. A new schema
    # passes unless another finding blocks it, as publish has always treated it.
    overrides = dataclasses.replace(
        settings.overrides(), allow_new=False, allow_breaking=allow_breaking or None
    )
    result = publish(
        files,
        registry,
        mode,
        policy,
        settings.names,
        settings.base,
        since,
        review,
        dry_run,
        overrides,
    )
    _render(result, output_format)
    if result.conflict is not None:
        raise result.conflict
    return EXIT_OK if result.gate_passed else EXIT_GATE_FAILED


def _render(result: PublishResult, output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps(result.to_json(), indent=2, sort_keys=True))
        return
    from schemagate.report.render import get_reporter

    if not result.gate_passed:
        click.echo(get_reporter("text").check(result.gate, use_color()), nl=False)
        click.echo(f"nothing published to {result.registry}: the gate failed")
        return
    accepted = [
        f"{schema.name}: {finding.rule} at {finding.pointer or '/'} ({finding.accepted})"
        for schema in result.gate.schemas
        for finding in schema.findings
        if finding.accepted and finding.rule != "schema-unregistered"
    ]
    for line in accepted:
        click.echo(f"accepted break {line}")
    for write in result.created:
        click.echo(f"created {write.name} version {write.version} ({write.path})")
    if result.dry_run:
        for write in result.planned:
            if write.checked_version is None:
                click.echo(f"would create schema {write.name} ({write.path})")
            else:
                click.echo(f"would create a new version of {write.name} ({write.path})")
    for name in result.unchanged:
        click.echo(f"unchanged {name}")
    verb = "would create" if result.dry_run else "created"
    count = len(result.planned) if result.dry_run else len(result.created)
    click.echo(f"{verb} {count} version(s) in {result.registry}")
