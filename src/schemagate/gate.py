"""The gate: compare local producer schemas with their registered versions."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from schemagate.baseline.git import GIT_SCHEME
from schemagate.diff.engine import diff_documents
from schemagate.errors import InputError
from schemagate.load.document import SCHEMA_SUFFIXES, SchemaDocument, load_file, load_text
from schemagate.modes import Mode, Policy
from schemagate.registry.base import Registry, SchemaVersion
from schemagate.registry.bulk import fetch_versions
from schemagate.report.model import CheckResult, Finding, SchemaResult, Status
from schemagate.resolve.refs import Resolver
from schemagate.rules.catalogue import Severity, get_rule
from schemagate.rules.routing import routing_changes

logger = logging.getLogger(__name__)


# A stage that reads a finished check result with the local documents by schema name.
Review = Callable[[CheckResult, dict[str, SchemaDocument], Registry], CheckResult]


def discover(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the schema files they hold, sorted; files are kept as given.

    A file reached twice (named twice, or named and inside a named folder) is kept once,
    at its first place, compared by resolved path.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            named = sorted(p for p in path.rglob("*") if p.suffix.lower() in SCHEMA_SUFFIXES)
            for candidate in named:
                if candidate.is_symlink() and not candidate.exists():
                    # A broken link would otherwise drop its schema from the gate unseen.
                    raise InputError(
                        f"{candidate}: link to a missing file ({candidate.readlink()}); "
                        "fix the link or remove it"
                    )
            found.extend(p for p in named if p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder; pass schema files or folders")
    seen: set[Path] = set()
    unique = []
    for path in found:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(path)
    return unique


def schema_name(path: Path, names: dict[str, str], base: Path) -> str:
    """Return the registry name for a local file: a mapped name, or the file stem."""
    candidates = [path.stem, path.name, str(path)]
    with contextlib.suppress(ValueError):
        candidates.append(str(path.resolve().relative_to(base.resolve())))
    for candidate in candidates:
        if candidate in names:
            return names[candidate]
    return path.stem


def registered_document(version: SchemaVersion, registry: Registry) -> SchemaDocument:
    source = f"{registry.uri} {version.name}@{version.version}"
    return load_text(version.content, source)


def check_schemas(
    files: list[Path],
    registry: Registry,
    mode: Mode,
    policy: Policy,
    names: dict[str, str] | None = None,
    base: Path | None = None,
    review: Review | None = None,
    since: timedelta | None = None,
) -> CheckResult:
    """Gate each local file against the registry and collect one result per schema.

    `review`, when given, runs last over the result and the local documents by schema
    name; the contract stage (`schemagate.contracts.gate`) is one. Transitive modes
    compare with every registered version, or with those created within `since`
    before now; the latest version is always compared.
    """
    if since is not None and not mode.transitive:
        raise InputError(
            f"--since needs a transitive mode, but the mode is {mode.value}; use "
            f"--mode {mode.value}-transitive to compare with every version in the window"
            if mode is not Mode.NONE
            else "--since needs a transitive mode, but the mode is none"
        )
    names = names or {}
    base = base or Path.cwd()
    seen: dict[str, Path] = {}
    documents: dict[str, SchemaDocument] = {}
    local: list[tuple[str, str, SchemaDocument]] = []
    for path in files:
        name = schema_name(path, names, base)
        if name in seen:
            raise InputError(
                f"{path} and {seen[name]} both map to schema {name!r}; rename one or map it "
                "under [tool.schemagate.names]"
            )
        seen[name] = path
        document = load_file(path)
        # Resolve every reference now, so a broken local schema is an input error even
        # when the registry has no version to compare it with.
        Resolver(document).check_references()
        documents[name] = document
        local.append((name, _relative(path), document))
    registered = fetch_versions(registry, seen, all_versions=mode.transitive)
    window_start = None if since is None else datetime.now(UTC) - since
    results = []
    for name, display_path, document in local:
        versions = select_versions(registered.get(name, []), window_start)
        results.append(_check_one(document, display_path, name, registry, versions, mode, policy))
    result = CheckResult(registry=registry.uri, mode=mode, policy=policy, schemas=results)
    return review(result, documents, registry) if review is not None else result


def deleted_schemas(
    deleted: Iterable[tuple[str, str]], registry: Registry, ref: str, mode: Mode
) -> list[SchemaResult]:
    """Return a result for each schema file deleted since `ref` whose schema the registry
    has, given (schema name, path at `ref`) pairs.

    A git baseline is the files at `ref` themselves, so every deleted file counts there.
    A registry counts only schemas it has: a file deleted before it was published
    leaves no consumer behind.
    """
    rule = get_rule("schema-deleted")
    severity = rule.severity if mode.directions else Severity.INFO
    results = []
    for name, path in deleted:
        if registry.uri.startswith(GIT_SCHEME):
            version, registered = ref, ""
        else:
            latest = registry.get_version(name)
            if latest is None:
                logger.debug("%s: deleted since %s, and not in %s", path, ref, registry.uri)
                continue
            version = latest.version
            registered = f" and {registry.uri} has version {version}"
        finding = Finding(
            rule.id,
            severity,
            frozenset(),
            "",
            None,
            f"schema {name!r} is deleted: {path} exists at {ref}{registered}; its consumers "
            "and replays of its archived events still read it, so restore the file or "
            "accept the deletion with a reason",
        )
        status = Status.BREAKING if severity is Severity.ERROR else Status.COMPATIBLE
        results.append(SchemaResult(name, path, status, version, [finding]))
    return results


def select_versions(
    versions: list[SchemaVersion], window_start: datetime | None
) -> list[SchemaVersion]:
    """Keep the versions created at or after `window_start`, and always the latest.

    `versions` is in registry order, oldest first. A version without a creation time is
    kept, because it cannot be shown to be older.
    """
    if window_start is None or not versions:
        return versions
    kept = [
        version
        for version in versions[:-1]
        if version.created is None or _parse_time(version.created) >= window_start
    ]
    return [*kept, versions[-1]]


def _parse_time(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _check_one(
    local: SchemaDocument,
    path: str,
    name: str,
    registry: Registry,
    versions: list[SchemaVersion],
    mode: Mode,
    policy: Policy,
) -> SchemaResult:
    if not versions:
        rule = get_rule("schema-unregistered")
        finding = Finding(
            rule.id,
            Severity.ERROR,
            frozenset(),
            None,
            None,
            f"schema {name!r} is not in {registry.uri}; register it with `schemagate "
            "publish`, or pass --allow-new to let new schemas pass",
            (),
        )
        return SchemaResult(name, path, Status.UNREGISTERED, None, [finding])
    latest = versions[-1]
    unchanged = registered_document(latest, registry).data == local.data
    if unchanged and len(versions) == 1:
        return SchemaResult(name, path, Status.UNCHANGED, latest.version, [], (latest.version,))
    # Under a transitive mode an unchanged schema is still compared with the versions
    # before the latest, which may not have been checked against each other.
    findings: list[Finding] = []
    seen: set[tuple[str, str | None, str | None, str]] = set()
    compared: set[str] = set()
    for version in versions:
        if version.content in compared:
            # A reverted schema registers the same content again; one comparison covers both.
            continue
        compared.add(version.content)
        logger.debug("comparing %s with %s version %s", path, name, version.version)
        result = diff_documents(registered_document(version, registry), local, mode, policy)
        found = _dedupe(result.findings, seen)
        if len(versions) > 1:
            # Transitive modes compare with several versions: name the one that breaks.
            found = [
                dataclasses.replace(f, message=f"against version {version.version}: {f.message}")
                for f in found
            ]
        findings.extend(found)
    findings.extend(routing_changes(registered_document(latest, registry), local, mode))
    breaking = any(f.severity is Severity.ERROR for f in findings)
    status = Status.BREAKING if breaking else Status.COMPATIBLE
    if unchanged and not breaking:
        status = Status.UNCHANGED
    return SchemaResult(
        name, path, status, latest.version, findings, tuple(v.version for v in versions)
    )


def _dedupe(
    new: list[Finding], seen: set[tuple[str, str | None, str | None, str]]
) -> list[Finding]:
    """Keep the findings not reported yet, recording their keys in `seen`."""
    kept = []
    for finding in new:
        key = (finding.rule, finding.old_pointer, finding.new_pointer, finding.message)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept
