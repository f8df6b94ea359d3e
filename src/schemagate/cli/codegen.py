"""`schemagate codegen`: pydantic v2 bindings for the consumers of registered schemas."""

from __future__ import annotations

import importlib.util
import keyword
import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from schemagate.cli.options import config_option
from schemagate.config import Settings, load_settings
from schemagate.errors import EXIT_GATE_FAILED, EXIT_OK, InputError

if TYPE_CHECKING:
    from schemagate.codegen import SchemaInput


@click.command(name="codegen")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Package folder to write: one module per schema, __init__.py and a lock file.",
)
@click.option(
    "--registry",
    "registry_uri",
    default=None,
    help="Registry to generate from: eventbridge:NAME or dir:SNAPSHOT_FOLDER.",
)
@click.option(
    "--schema",
    "schema_specs",
    multiple=True,
    help="Schema to generate, as NAME or NAME@VERSION (repeatable; default: every schema, "
    "latest version).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 and list the files when the package on disk is out of date.",
)
@config_option
def command(
    paths: tuple[Path, ...],
    out: Path,
    registry_uri: str | None,
    schema_specs: tuple[str, ...],
    check: bool,
    config_path: Path | None,
) -> int:
    """Generate a package of pydantic models from the registry, or from local PATHS.

    Exits 0 when the package was written (or, with --check, is up to date), 1 when
    --check finds it out of date, 2 on invalid input, 3 when the registry cannot be read.
    """
    _require_generator()
    from schemagate.codegen import build_package, compare_package, write_package

    settings = load_settings(config_path)
    _check_out_apart(out, paths, registry_uri or settings.registry, settings)
    inputs = _collect_inputs(paths, registry_uri, schema_specs, settings)
    files = build_package(inputs)
    if check:
        differences = compare_package(out, files)
        for difference in differences:
            click.echo(f"{out / difference.name}: {difference.problem}")
        if differences:
            click.echo(
                f"{len(differences)} file(s) out of date in {out}; run `schemagate codegen` "
                "without --check to regenerate"
            )
            return EXIT_GATE_FAILED
        click.echo(f"{out}: up to date ({len(files)} files)")
        return EXIT_OK
    result = write_package(out, files)
    _warn_if_not_importable(out)
    click.echo(
        f"{out}: wrote {len(result.written)}, unchanged {len(result.unchanged)}, "
        f"removed {len(result.removed)} file(s)"
    )
    for name in result.foreign:
        click.echo(f"{out / name}: left alone, schemagate did not write it")
    return EXIT_OK


def _require_generator() -> None:
    """Raise InputError when the packages of the `codegen` extra are not installed."""
    missing = [
        name
        for name in ("datamodel_code_generator", "pydantic")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise InputError(
            f"codegen needs {' and '.join(missing)}, which {verb} not installed; "
            "install the codegen extra: pip install 'schemagate[codegen]' (in a source checkout: "
            "pip install -e '.[codegen]')"
        )


def _warn_if_not_importable(out: Path) -> None:
    """Warn when the package folder's name cannot be imported (`my-events`, `1events`)."""
    name = out.resolve().name
    if name.isidentifier() and not keyword.iskeyword(name):
        return
    suggestion = re.sub(r"\W", "_", name)
    if not suggestion.isidentifier() or keyword.iskeyword(suggestion):
        suggestion = f"events_{suggestion}"
    click.echo(
        f"warning: {name!r} is not a Python package name, so the generated modules cannot "
        f"be imported from it; rename the folder, for example to {suggestion!r}",
        err=True,
    )


def _check_out_apart(
    out: Path, paths: tuple[Path, ...], uri: str | None, settings: Settings
) -> None:
    """Raise InputError when --out is, is inside, or contains a folder the command reads.

    Modules written into a schema folder would be read as schemas, and into a snapshot
    folder would stop `pull` from refreshing it.
    """
    from schemagate.cli.outputs import guarded_folders

    schema_folders, snapshots = guarded_folders(settings, paths, uri)
    target = out.resolve()
    # A folder containing the working directory is a project root, not a schema folder.
    working = Path.cwd().resolve()
    for folder in [*schema_folders, *snapshots]:
        if not folder.exists() or folder.resolve() in (working, *working.parents):
            continue
        resolved = folder.resolve()
        if target == resolved or resolved in target.parents:
            where = f"it is inside {folder}"
        elif target in resolved.parents:
            where = f"it contains {folder}"
        else:
            continue
        kind = "a snapshot folder" if folder in snapshots else "a schema folder"
        raise InputError(
            f"invalid --out {out}: {where}, {kind}, and generated modules would mix with "
            "its files; write the package to a folder of its own, such as src/events"
        )


def _collect_inputs(
    paths: tuple[Path, ...],
    registry_uri: str | None,
    schema_specs: tuple[str, ...],
    settings: Settings,
) -> list[SchemaInput]:
    from schemagate.codegen.sources import file_inputs, parse_spec, registry_inputs
    from schemagate.gate import discover
    from schemagate.registry import open_registry

    specs = [parse_spec(text) for text in schema_specs]
    if paths:
        if registry_uri is not None or specs:
            raise InputError("pass either schema PATHS or --registry (with --schema), not both")
        files = discover(list(paths))
        if not files:
            raise InputError(
                f"no schema files (.json, .yaml, .yml) in {', '.join(map(str, paths))}"
            )
        return file_inputs(files, settings.names, settings.base)
    uri = registry_uri or settings.registry
    if uri is None:
        raise InputError(
            "nothing to generate from; pass schema PATHS, or --registry eventbridge:NAME "
            "or dir:FOLDER, or set registry under [tool.schemagate]"
        )
    base = settings.base if registry_uri is None else Path.cwd()
    return registry_inputs(open_registry(uri, base=base), uri, specs)
