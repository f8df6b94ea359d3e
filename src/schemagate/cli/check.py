"""`schemagate check [PATHS]`: gate local schemas against their registered versions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from schemagate.cli.options import (
    config_option,
    gate_options,
    resolve_mode,
    resolve_policy,
    use_color,
)
from schemagate.cli.since import since_option
from schemagate.config import Settings, load_settings
from schemagate.errors import EXIT_GATE_FAILED, EXIT_OK, InputError

if TYPE_CHECKING:
    from schemagate.modes import Mode
    from schemagate.overrides import Overrides
    from schemagate.registry.base import Registry
    from schemagate.report.model import CheckResult


@click.command(name="check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--registry",
    "registry_uri",
    default=None,
    help="Registry to compare with: eventbridge:NAME or dir:SNAPSHOT_FOLDER.",
)
@click.option(
    "--against",
    "against",
    default=None,
    metavar="git:REF",
    help="Compare with the same files at a git ref instead of a registry, e.g. git:origin/main.",
)
@click.option(
    "--base-ref",
    "base_ref",
    default=None,
    metavar="REF",
    help="Git ref the change starts from, e.g. origin/main: a schema file there that is "
    "deleted locally fails the gate while the registry has its schema (default: the "
    "--against ref; only checked folders count).",
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
    "--fail-on",
    type=click.Choice(["error", "warning"], case_sensitive=False),
    default=None,
    help="Lowest finding severity that fails the gate (default: error, or the configured one).",
)
@click.option(
    "--allow-new/--no-allow-new",
    default=None,
    help="Let schemas with no previous version pass (default: they fail the gate).",
)
@click.option(
    "--allow-breaking",
    default=None,
    metavar="REASON",
    help="Report breaking findings as warnings for this run, giving REASON in the report.",
)
@config_option
@since_option
def command(
    paths: tuple[Path, ...],
    registry_uri: str | None,
    against: str | None,
    base_ref: str | None,
    mode_name: str | None,
    strict: bool | None,
    output_format: str,
    contracts_uri: str | None,
    outputs: tuple[str, ...],
    fail_on: str | None,
    allow_new: bool | None,
    allow_breaking: str | None,
    config_path: Path | None,
    since: timedelta | None,
) -> int:
    """Check local producer schemas (default: the configured schemas folder).

    Fails on breaking changes, on changes that break a field a consumer contract reads,
    and on schemas with no previous version. Exits 0 when the gate passes, 1 when it
    fails, 2 on invalid input, 3 when the registry cannot be read.
    """
    from schemagate.cli.outputs import check_spares_inputs, parse_outputs, write_outputs
    from schemagate.contracts.gate import contract_review
    from schemagate.gate import check_schemas, discover
    from schemagate.overrides import apply_overrides
    from schemagate.report.render import get_reporter

    if allow_breaking is not None and not allow_breaking.strip():
        raise InputError(
            f"invalid --allow-breaking {allow_breaking!r}: the reason is empty; give the "
            "reason the report shows, for example --allow-breaking 'consumers migrated'"
        )
    reporter = get_reporter(output_format)
    extra_outputs = parse_outputs(outputs)
    settings = load_settings(config_path)
    if registry_uri is not None and against is not None:
        raise InputError("pass either --registry or --against, not both")
    inputs = list(paths) or [settings.schemas_path]
    deletions_since = base_ref
    if deletions_since is None:
        deletions_since = _git_ref(against or registry_uri or settings.registry)
    if deletions_since is not None and (not deletions_since.strip() or deletions_since[0] == "-"):
        raise InputError(
            f"invalid --base-ref {deletions_since!r}; name a branch, tag or commit, such as "
            "origin/main"
        )
    # A folder whose every schema file was deleted since the base ref may be empty or gone.
    files = discover(inputs if deletions_since is None else [p for p in inputs if p.exists()])
    if not files and deletions_since is None:
        raise _no_files(inputs)
    check_spares_inputs(
        extra_outputs, files, settings, inputs, against or registry_uri, contracts_uri
    )
    registry = _open_baseline(against or registry_uri, settings, files, against is not None)
    mode = resolve_mode(mode_name, settings.mode)
    policy = resolve_policy(strict, settings.policy)
    review = contract_review(contracts_uri, registry, settings)
    result = check_schemas(
        files, registry, mode, policy, settings.names, settings.base, review=review, since=since
    )
    if deletions_since is not None:
        result = _with_deleted(result, inputs, files, deletions_since, registry, mode, settings)
        if not result.schemas:
            raise _no_files(inputs)
    result = apply_overrides(result, _overrides(settings, fail_on, allow_new, allow_breaking))
    if not paths:
        _warn_unknown_accepted(settings, result)
    click.echo(reporter.check(result, use_color()), nl=False)
    write_outputs(extra_outputs, lambda extra: extra.check(result, False))
    return EXIT_OK if result.ok else EXIT_GATE_FAILED


def _no_files(inputs: list[Path]) -> InputError:
    return InputError(
        f"no schema files (.json, .yaml, .yml) in {', '.join(map(str, inputs))}; add schema "
        "files, or name the folder that has them (`schemas` in the settings, or as an argument)"
    )


def _git_ref(uri: str | None) -> str | None:
    from schemagate.baseline import parse_git_uri

    return None if uri is None else parse_git_uri(uri)


def _with_deleted(
    result: CheckResult,
    inputs: list[Path],
    files: list[Path],
    ref: str,
    registry: Registry,
    mode: Mode,
    settings: Settings,
) -> CheckResult:
    """Add a result for each registered schema whose file, in a checked folder at `ref`,
    no local file replaces. A folder that no longer exists counts as empty."""
    import dataclasses

    from schemagate.baseline import deleted_files, file_at
    from schemagate.config import names_in_text
    from schemagate.gate import deleted_schemas, schema_name

    folders = [path for path in inputs if path.is_dir() or not path.exists()]
    if not folders:
        return result

    # Files at the ref are named by the name mapping of that time, so a deletion that
    # also drops the file's mapping is still found under the registered name. Today's
    # mapping names the files the mapping at the ref leaves out.
    names_then = dict(settings.names)
    if settings.source is not None:
        text = file_at(ref, settings.source)
        if text is not None:
            names_then.update(names_in_text(text, settings.source))

    def name_then(path: Path) -> str:
        return schema_name(path, names_then, settings.base)

    local = [schema_name(path, settings.names, settings.base) for path in files]
    removed = deleted_files(ref, folders, local, name_then)
    found = deleted_schemas(removed, registry, ref, mode)
    return dataclasses.replace(result, schemas=[*result.schemas, *found])


def _warn_unknown_accepted(settings: Settings, result: CheckResult) -> None:
    """Warn about accepted changes that name no schema of the whole schemas folder.

    Such an entry, often a misspelt name, matches nothing in any run, so the break it
    was meant to accept still fails the gate.
    """
    import difflib

    names = {s.name for s in result.schemas} | {Path(s.path).stem for s in result.schemas}
    for entry in settings.accepted:
        if entry.schema in names:
            continue
        close = difflib.get_close_matches(entry.schema, sorted(names), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; correct the name or remove it"
        click.echo(
            f"warning: {settings.source or 'settings'}: the accepted change for {entry.rule} "
            f"names schema {entry.schema!r}, which is not in {settings.schemas_path}{hint}",
            err=True,
        )


def _overrides(
    settings: Settings, fail_on: str | None, allow_new: bool | None, allow_breaking: str | None
) -> Overrides:
    """Combine the settings' overrides with the command-line options, which win."""
    import dataclasses

    from schemagate.rules.catalogue import Severity

    return dataclasses.replace(
        settings.overrides(),
        fail_on=Severity(fail_on.lower()) if fail_on else settings.fail_on,
        allow_new=settings.allow_new if allow_new is None else allow_new,
        allow_breaking=allow_breaking or None,
    )


def _open_baseline(
    uri: str | None, settings: Settings, files: list[Path], against: bool = False
) -> Registry:
    """Open a registry, or a git baseline for the files being checked."""
    from schemagate.baseline import GitBaseline, parse_git_uri
    from schemagate.gate import schema_name
    from schemagate.registry import open_registry
    from schemagate.registry.uri import SCHEMES

    uri = uri or settings.registry
    if uri is None:
        raise InputError(
            "no registry given; pass --registry eventbridge:NAME or dir:FOLDER, "
            "--against git:REF, or set registry under [tool.schemagate]"
        )
    ref = parse_git_uri(uri)
    if ref is not None:

        def name_of(path: Path) -> str:
            return schema_name(path, settings.names, settings.base)

        return GitBaseline(ref, {name_of(path): path for path in files}, name_of)
    scheme, separator, _ = uri.partition(":")
    if not separator or scheme not in SCHEMES:
        # A bare value is most likely a git ref (HEAD) after --against, and a registry
        # name after --registry.
        if separator:
            example = "git:REF" if against else "eventbridge:REGISTRY_NAME"
        else:
            example = f"git:{uri}" if against else f"eventbridge:{uri}"
        choices = ["eventbridge:REGISTRY_NAME", "dir:SNAPSHOT_FOLDER", "git:REF"]
        choices = [example, *(c for c in choices if c.split(":")[0] != example.split(":")[0])]
        raise InputError(
            f"invalid registry {uri!r}; use {', '.join(choices[:-1])} or {choices[-1]}"
        )
    base = settings.base if uri == settings.registry else Path.cwd()
    return open_registry(uri, base=base)
