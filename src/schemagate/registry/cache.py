"""An on-disk cache of registered schema versions, which the registry never changes.

Layout under the cache root (the platform cache folder, or `SCHEMAGATE_CACHE_DIR`):

    eventbridge/<key>/registry.json              endpoint, region, account, registry name
    eventbridge/<key>/<quoted schema>/listing.json   what ListSchemas showed last time
    eventbridge/<key>/<quoted schema>/<N>.json       version N: metadata and content

`<key>` is a hash of the endpoint, region, account and registry name, so two registries
never share entries. Every file is written to a temporary file in the same folder and
renamed over the target with `os.replace`, so concurrent runs see either the old or the
new file, never a partial one. A file that cannot be read is treated as absent.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from schemagate.registry.base import SchemaSummary, SchemaVersion
from schemagate.registry.snapshot import encode_name

logger = logging.getLogger(__name__)

CACHE_DIR_VARIABLE = "SCHEMAGATE_CACHE_DIR"
CACHE_FORMAT = 1


def default_cache_root() -> Path:
    """Return `SCHEMAGATE_CACHE_DIR` when set, else the user's platform cache folder."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured:
        return Path(configured)
    return _platform_cache_root(*(os.environ.get(name) for name in _PLATFORM_VARIABLES))


# Environment variables the platform cache folder depends on (Linux, macOS, Windows).
_PLATFORM_VARIABLES = ("XDG_CACHE_HOME", "HOME", "LOCALAPPDATA", "USERPROFILE")


@functools.lru_cache(maxsize=8)
def _platform_cache_root(*environment: str | None) -> Path:
    # Keyed by the variables above, so a changed environment gets a fresh result.
    # Looking the folder up costs more than the marker checks that use it.
    import platformdirs

    return platformdirs.user_cache_path("schemagate", appauthor=False)


@dataclass(frozen=True)
class RegistryIdentity:
    """What tells one registry from another: the same name can exist in many accounts."""

    endpoint: str
    region: str
    account: str
    registry: str

    @property
    def key(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Listing:
    """A schema's row of ListSchemas, with the version numbers that were current then.

    `versions` is None when only the latest version was read.
    """

    version_count: int
    last_modified: str | None
    latest: str
    versions: tuple[str, ...] | None = None

    def matches(self, summary: SchemaSummary) -> bool:
        return (
            self.version_count == summary.version_count
            and self.last_modified == summary.last_modified
        )


class VersionCache:
    """Cached versions and listings of one registry."""

    def __init__(self, root: Path, identity: RegistryIdentity) -> None:
        self.folder = root / "eventbridge" / identity.key
        self.identity = identity
        self._described = False

    def read_listing(self, name: str) -> Listing | None:
        data = self._read(self._schema_folder(name) / "listing.json")
        if data is None:
            return None
        try:
            versions = data["versions"]
            return Listing(
                version_count=int(data["version_count"]),
                last_modified=data["last_modified"],
                latest=str(data["latest"]),
                versions=None if versions is None else tuple(str(v) for v in versions),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def write_listing(self, name: str, listing: Listing) -> None:
        data = asdict(listing)
        data["versions"] = None if listing.versions is None else list(listing.versions)
        self._write(self._schema_folder(name) / "listing.json", data)

    def read_version(self, name: str, version: str) -> SchemaVersion | None:
        data = self._read(self._schema_folder(name) / f"{version}.json")
        if data is None:
            return None
        try:
            return SchemaVersion(
                name=name,
                version=version,
                type=str(data["type"]),
                content=str(data["content"]),
                created=data.get("created"),
                description=data.get("description"),
            )
        except (KeyError, TypeError):
            return None

    def write_version(self, version: SchemaVersion) -> None:
        data = {
            "type": version.type,
            "content": version.content,
            "created": version.created,
            "description": version.description,
        }
        self._write(self._schema_folder(version.name) / f"{version.version}.json", data)

    def _schema_folder(self, name: str) -> Path:
        return self.folder / encode_name(name)

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            logger.debug("ignoring unreadable cache file %s: %s", path, exc)
            return None
        if not isinstance(data, dict) or data.get("cache_format") != CACHE_FORMAT:
            return None
        return data

    def _write(self, path: Path, data: dict[str, Any]) -> None:
        """Write one file atomically; a cache that cannot be written is skipped, not fatal."""
        try:
            self._describe_registry()
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, json.dumps({"cache_format": CACHE_FORMAT, **data}))
        except OSError as exc:
            logger.warning("cannot write cache file %s: %s", path, exc)

    def _describe_registry(self) -> None:
        if self._described:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(self.folder / "registry.json", json.dumps(asdict(self.identity), indent=2))
        self._described = True


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path`."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
