"""`--output FORMAT=PATH`: write extra reports beside the one printed to standard output."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from schemagate.config import Settings
from schemagate.errors import InputError
from schemagate.markers import passed_before, remember_pass
from schemagate.report.render import Reporter, get_reporter

OUTPUT_HELP = (
    "Also write a report in FORMAT to PATH (repeatable), for example sarif=results.sarif. "
    "A report schemagate wrote there before is replaced; any other file is not."
)
# Marker kind remembering the reports written, by a hash of their text.
_WRITTEN = "written-reports"


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
    contracts: str | None = None,
) -> None:
    """Raise InputError when a report would replace a file the command reads, would land
    in a schema or contract folder as a file the next run would read, or would land in
    a snapshot folder, whose files `pull` owns.

    `files` and the settings file are the files read. `named`, `registry` and
    `contracts` are the folders, registry and contracts location the command was
    given, beside the configured ones.
    """
    from schemagate.load.document import SCHEMA_SUFFIXES

    files = [*files, *([settings.source] if settings.source else [])]
    folders, snapshots = guarded_folders(settings, named, registry)
    for location, base in ((contracts, Path.cwd()), (settings.contracts, settings.base)):
        if location is not None and location.startswith("file:"):
            contract_path = base / location.removeprefix("file:")
            if contract_path.is_dir():
                # Contract files share the schema files' suffixes.
                folders.append(contract_path)
            else:
                files.append(contract_path)
        elif location is not None and location.startswith("dir:"):
            snapshots.append(base / location.removeprefix("dir:"))
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
                        f"as a schema or contract from {folder}; write it outside that folder"
                    )
        if Path(path).is_file() and not _is_report(Path(path)):
            raise InputError(
                f"invalid --output path {path}: the file exists and is not a report "
                "schemagate wrote, so it is kept; choose another path, or delete the file"
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


# The start of each structured report, read when no marker remembers the file: a
# report written before the cache folder was emptied is still recognised.
_REPORT_STARTS = (
    re.compile(r'\{\s*"format_version":'),
    re.compile(
        r'\{\s*"\$schema": "https://docs\.oasis-open\.org/sarif/.*"name": "schemagate"', re.S
    ),
    re.compile(r'<\?xml [^>]*\?>\s*<testsuites name="schemagate"'),
    re.compile(r"## \S+ schemagate: "),
)


def _is_report(path: Path) -> bool:
    """Tell whether the file at `path` is empty or a report schemagate wrote."""
    try:
        data = path.read_bytes()
    except OSError:
        # An unreadable file fails when the report is written, with its own message.
        return True
    if not data.strip() or passed_before(_WRITTEN, _fingerprint(data)):
        return True
    head = data[:1000].decode("utf-8", errors="replace")
    return any(start.match(head) for start in _REPORT_STARTS)


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
        remember_pass(_WRITTEN, _fingerprint(text.encode("utf-8")))
