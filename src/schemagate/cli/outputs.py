"""`--output FORMAT=PATH`: write extra reports beside the one printed to standard output."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click

from schemagate.config import Settings
from schemagate.errors import InputError
from schemagate.report.render import Reporter, get_reporter

OUTPUT_HELP = (
    "Also write a report in FORMAT to PATH (repeatable), for example sarif=results.sarif. "
    "An existing report is replaced; a file the command reads is not."
)


def parse_outputs(specs: tuple[str, ...]) -> list[tuple[Reporter, str]]:
    """Check every FORMAT=PATH pair before the gate runs, so a typo costs no time."""
    outputs: list[tuple[Reporter, str]] = []
    for spec in specs:
        name, separator, path = spec.partition("=")
        if not separator or not path:
            raise InputError(
                f"invalid --output {spec!r}; use FORMAT=PATH, for example sarif=results.sarif"
            )
        name = name.strip().lower()
        reporter = get_reporter(name)
        if path == "-":
            raise InputError(
                f"invalid --output {spec!r}: the --format report already goes to standard "
                f"output; use --format {name} instead, or write to a file"
            )
        _check_writable(spec, Path(path), name)
        if any(_resolved(Path(path)) == _resolved(Path(other)) for _, other in outputs):
            raise InputError(
                f"invalid --output {spec!r}: another --output already writes {path}; "
                "give each report its own file"
            )
        outputs.append((reporter, path))
    return outputs


def check_spares_inputs(
    outputs: list[tuple[Reporter, str]],
    files: Sequence[Path],
    settings: Settings,
    named: Sequence[Path] = (),
    registry: str | None = None,
) -> None:
    """Raise InputError when a report would replace a file the command reads, would land
    in a schema folder as a file the next run would read as a schema, or would land in
    a snapshot folder, whose files `pull` owns.

    `files` and the settings file are the files read. `named` and `registry` are the
    folders and registry the command was given, beside the configured ones.
    """
    from schemagate.load.document import SCHEMA_SUFFIXES

    files = [*files, *([settings.source] if settings.source else [])]
    folders, snapshots = guarded_folders(settings, named, registry)
    read = {_resolved(path) for path in files}
    identities = {_identity(path) for path in files} - {None}
    for _, path in outputs:
        target = _resolved(Path(path))
        # A hard link is another name for an input: compare the files themselves too.
        if target in read or _identity(Path(path)) in identities:
            raise InputError(
                f"invalid --output path {path}: the command reads this file, so the report "
                "would replace it; write the report to another file"
            )
        for folder in snapshots:
            if _resolved(folder) in target.parents:
                raise InputError(
                    f"invalid --output path {path}: {folder} is a snapshot folder that "
                    "`schemagate pull` writes; write the report outside it"
                )
        if target.suffix.lower() in SCHEMA_SUFFIXES:
            for folder in folders:
                if _resolved(folder) in target.parents:
                    raise InputError(
                        f"invalid --output path {path}: the next run would read the report "
                        f"as a schema from {folder}; write it outside that folder"
                    )


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def guarded_folders(
    settings: Settings, named: Sequence[Path], registry: str | None
) -> tuple[list[Path], list[Path]]:
    """Return the schema folders and snapshot folders a command's reports must avoid:
    the folders named, the configured schemas folder, and the `dir:` snapshot in use or
    configured."""
    schema_folders = [p for p in named if p.is_dir()]
    if settings.schemas_path.is_dir():
        schema_folders.append(settings.schemas_path)
    snapshots = []
    for uri in {registry, settings.registry} - {None}:
        if isinstance(uri, str) and uri.startswith("dir:"):
            base = settings.base if uri == settings.registry else Path.cwd()
            snapshots.append(base / uri.removeprefix("dir:"))
    return schema_folders, snapshots


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


# File name suffixes the folder hint suggests for each format.
_SUFFIXES = {"json": ".json", "sarif": ".sarif", "junit": ".xml", "markdown": ".md"}


def _check_writable(spec: str, path: Path, format_name: str) -> None:
    """Raise InputError when `path` is a folder, a device such as /dev/stdout, or lies
    under a file."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise InputError(
            f"invalid --output {spec!r}: {path} is not a regular file; the --format report "
            "already goes to standard output, so write this one to a file"
        )
    if path.is_dir():
        suffix = _SUFFIXES.get(format_name, ".txt")
        raise InputError(
            f"invalid --output {spec!r}: {path} is a folder; name a file, for example "
            f"schemagate-report{suffix}"
        )
    # Missing folders are created when the report is written, so only an existing
    # ancestor that is not a folder can stop the write.
    for ancestor in path.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise InputError(
                    f"invalid --output {spec!r}: {ancestor} is a file, not a folder; "
                    "choose another path"
                )
            return


def write_outputs(outputs: list[tuple[Reporter, str]], render: Callable[[Reporter], str]) -> None:
    for reporter, path in outputs:
        text = render(reporter)
        if path == "-":
            click.echo(text, nl=False)
            continue
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write report to {path} ({exc.strerror})") from None
