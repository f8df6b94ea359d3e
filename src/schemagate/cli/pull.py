"""The `schemagate pull` command: copy every registered version into a snapshot folder."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import click

from schemagate.cli.progress import progress_bar, registry_read_options
from schemagate.registry.base import Registry, SchemaVersion
from schemagate.registry.bulk import count_versions, fetch_versions

logger = logging.getLogger("schemagate.pull")


@click.command(name="pull")
@click.option(
    "--registry",
    "registry_uri",
    required=True,
    metavar="URI",
    help="Registry to read: eventbridge:REGISTRY_NAME or dir:SNAPSHOT_FOLDER.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Snapshot folder to write. An earlier snapshot there is replaced.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Format of the summary printed to standard output.",
)
@registry_read_options
def command(
    registry_uri: str, out: Path, output_format: str, jobs: int, cache_dir: Path | None
) -> None:
    """Write every schema and version of a registry into a snapshot folder.

    The folder can then serve as `dir:OUT` for `diff` and `check` without network
    access. The write is atomic, and a folder that contains files schemagate did not
    write is left untouched.
    """
    from schemagate.registry.snapshot import SnapshotRegistry, write_snapshot
    from schemagate.registry.uri import open_registry

    registry = open_registry(registry_uri, base=Path.cwd(), cache_root=cache_dir, jobs=jobs)
    versions = read_all_versions(registry)
    if isinstance(registry, SnapshotRegistry):
        # Copying a snapshot keeps the name of the registry it was pulled from.
        source_name = registry.registry_name
    else:
        source_name = registry_uri.partition(":")[2]
    write_snapshot(out, source_name, versions)

    schema_count = len({version.name for version in versions})
    if output_format == "json":
        summary = {
            "registry": registry_uri,
            "out": str(out),
            "schemas": schema_count,
            "versions": len(versions),
        }
        click.echo(json.dumps(summary, sort_keys=True))
    else:
        click.echo(
            f"pulled {schema_count} schema(s) and {len(versions)} version(s) "
            f"from {registry_uri} into {out}"
        )


def read_all_versions(registry: Registry) -> list[SchemaVersion]:
    """Read every version of every schema, sorted by name and then version number.

    A progress bar on standard error shows how far the reads got, but only when standard
    error is a terminal and the registry has at least PROGRESS_MIN_VERSIONS versions.
    """
    with progress_bar(count_versions(registry), "reading versions") as advance:
        fetched = fetch_versions(registry, progress=advance)
    versions = [version for name in sorted(fetched) for version in fetched[name]]
    logger.debug("read %d version(s) from %s", len(versions), registry.uri)
    return sorted(versions, key=lambda version: (version.name, version.number))
