"""Folder snapshots of a registry: `pull` writes them and `dir:PATH` reads them back.

Layout, chosen so that a refreshed snapshot diffs cleanly in git:

    PATH/snapshot.json            index: format version, registry name, every version's metadata
    PATH/<quoted name>/<N>.json   the registered content of version N, byte for byte

Schema names are percent-encoded (`/` becomes `%2F`) so that every name maps to one
folder. Nothing in the index records when the pull ran.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from schemagate.errors import InputError, unwritable
from schemagate.registry.base import SchemaSummary, SchemaVersion, sort_versions

INDEX_NAME = "snapshot.json"
FORMAT_VERSION = 1


# File systems limit a name to 255 bytes; longer encodings are cut and given a hash.
MAX_ENCODED_NAME = 150


def encode_name(name: str) -> str:
    """Map a schema name to one folder name, readable and unique.

    `quote` keeps short names reversible. A name whose encoding is too long for a file
    system keeps its first characters and gets a hash of the whole name.
    """
    encoded = quote(name, safe="@._-")
    if len(encoded) <= MAX_ENCODED_NAME:
        return encoded
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
    return f"{encoded[: MAX_ENCODED_NAME - 17].rstrip('%')}~{digest}"


@dataclass(frozen=True)
class _Entry:
    type: str
    file: str
    created: str | None
    description: str | None


class SnapshotRegistry:
    """A read-only registry backed by a folder that `schemagate pull` wrote."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._index = _read_index(root)
        self.registry_name: str = self._index["registry"]

    @property
    def uri(self) -> str:
        return f"dir:{self.root}"

    def list_schemas(self) -> list[SchemaSummary]:
        summaries = []
        for name in sorted(self._index["schemas"]):
            versions = self._entries(name)
            latest = versions[sort_versions(versions)[-1]] if versions else None
            summaries.append(
                SchemaSummary(
                    name=name,
                    version_count=len(versions),
                    last_modified=latest.created if latest else None,
                )
            )
        return summaries

    def list_versions(self, name: str) -> list[str]:
        return sort_versions(self._entries(name))

    def get_version(self, name: str, version: str | None = None) -> SchemaVersion | None:
        entries = self._entries(name)
        if not entries:
            return None
        if version is None:
            version = sort_versions(entries)[-1]
        entry = entries.get(version)
        if entry is None:
            return None
        path = self.root / entry.file
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                f"{path}: cannot read snapshot content ({exc}); run `schemagate pull` again"
            ) from exc
        return SchemaVersion(
            name=name,
            version=version,
            type=entry.type,
            content=content,
            created=entry.created,
            description=entry.description,
        )

    def _entries(self, name: str) -> dict[str, _Entry]:
        schema = self._index["schemas"].get(name)
        if schema is None:
            return {}
        return {
            version: _Entry(
                type=meta["type"],
                file=meta["file"],
                created=meta.get("created"),
                description=meta.get("description"),
            )
            for version, meta in schema["versions"].items()
        }


def _read_index(root: Path) -> dict[str, Any]:
    index_path = root / INDEX_NAME
    if root.is_file():
        raise InputError(
            f"dir:{root}: is a file, expected a snapshot folder; pass the folder that "
            "`schemagate pull --out FOLDER` wrote"
        )
    if not root.is_dir():
        raise InputError(
            f"dir:{root}: snapshot folder not found; create it with "
            f"`schemagate pull --registry eventbridge:NAME --out {root}`"
        )
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"dir:{root}: no {INDEX_NAME} in the folder, so it is not a schemagate snapshot; "
            "create one in a folder of its own with "
            "`schemagate pull --registry eventbridge:NAME --out FOLDER`"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{index_path}: invalid snapshot index ({exc})") from exc
    _check_index(index_path, index)
    return dict(index)


def _check_index(index_path: Path, index: Any) -> None:
    if not isinstance(index, dict) or index.get("format_version") != FORMAT_VERSION:
        raise InputError(
            f"{index_path}: unsupported snapshot format; expected format_version "
            f"{FORMAT_VERSION}, pull the snapshot again"
        )
    schemas = index.get("schemas")
    if not isinstance(index.get("registry"), str) or not isinstance(schemas, dict):
        raise InputError(f"{index_path}: snapshot index needs 'registry' and 'schemas'")
    for name, schema in schemas.items():
        versions = schema.get("versions") if isinstance(schema, dict) else None
        if not isinstance(versions, dict):
            raise InputError(f"{index_path}: schema {name!r} has no 'versions' object")
        for version, meta in versions.items():
            if not (version.isascii() and version.isdigit()) or not isinstance(meta, dict):
                raise InputError(f"{index_path}: schema {name!r} has invalid version {version!r}")
            if not isinstance(meta.get("type"), str) or not isinstance(meta.get("file"), str):
                raise InputError(
                    f"{index_path}: version {version} of {name!r} needs 'type' and 'file'"
                )
            _check_inside(index_path, root=index_path.parent, relative=meta["file"])


def _check_inside(index_path: Path, root: Path, relative: str) -> None:
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise InputError(f"{index_path}: content file {relative!r} is outside the snapshot folder")


def snapshot_files(root: Path) -> set[str]:
    """List the files, relative to `root`, that a snapshot index lists as written by schemagate."""
    index = _read_index(root)
    files = {INDEX_NAME}
    for schema in index["schemas"].values():
        files.update(meta["file"] for meta in schema["versions"].values())
    return files


def write_snapshot(out: Path, registry_name: str, versions: list[SchemaVersion]) -> None:
    """Write a snapshot atomically: a complete new folder replaces the old one by renames.

    An existing folder is replaced only when every file in it belongs to an earlier
    snapshot; any other file stops the write, so nothing a user put there is lost.
    """
    _check_replaceable(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:
        raise unwritable(out, exc) from None
    try:
        _write_tree(staging, registry_name, versions)
        _swap_into_place(staging, out)
    except OSError as exc:
        raise unwritable(out, exc) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _check_replaceable(out: Path) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; choose another --out")
    present = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    if not present:
        return
    if not (out / INDEX_NAME).exists():
        raise InputError(
            f"{out}: folder is not empty and contains no schemagate snapshot; "
            "choose an empty or new --out folder"
        )
    foreign = sorted(present - snapshot_files(out))
    if foreign:
        raise InputError(
            f"{out}: contains {len(foreign)} file(s) schemagate did not write "
            f"(first: {foreign[0]}); move them out or choose another --out"
        )


def _write_tree(staging: Path, registry_name: str, versions: list[SchemaVersion]) -> None:
    schemas: dict[str, dict[str, Any]] = {}
    for item in sorted(versions, key=lambda v: (v.name, int(v.version))):
        relative = f"{encode_name(item.name)}/{item.version}.json"
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(item.content, encoding="utf-8")
        meta: dict[str, Any] = {"type": item.type, "file": relative}
        if item.created is not None:
            meta["created"] = item.created
        if item.description is not None:
            meta["description"] = item.description
        ordered_meta = {key: meta[key] for key in sorted(meta)}
        schemas.setdefault(item.name, {"versions": {}})["versions"][item.version] = ordered_meta
    index = {"format_version": FORMAT_VERSION, "registry": registry_name, "schemas": schemas}
    # Names and metadata keys sort as text, versions as integers, so a new version adds
    # lines at the end of its schema's entry instead of between "1" and "2".
    text = json.dumps(index, indent=2, ensure_ascii=False) + "\n"
    (staging / INDEX_NAME).write_text(text, encoding="utf-8")


def _swap_into_place(staging: Path, out: Path) -> None:
    """Put the staged folder at `out`, so that `out` always contains a complete snapshot.

    Where the kernel can exchange two paths in one step (Linux renameat2), a process
    killed at any moment leaves either the old or the new snapshot at `out`. Elsewhere
    the old folder is renamed aside first, and a kill between the two renames leaves it
    under a hidden `.NAME.old.*` name beside `out`.
    """
    if not out.exists():
        os.replace(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    os.rmdir(retired)
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(retired, out)
        raise
    shutil.rmtree(retired)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with renameat2; False where that is not supported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))
