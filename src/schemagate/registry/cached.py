"""EventBridge reads with an on-disk cache, stale-read checks and a bounded thread pool.

One ListSchemas listing per run shows which schemas changed: a schema whose
`LastModified` and `VersionCount` match the cached listing is served from the cache
without any further call. Everything else is described, checked against what the
listing promised, and cached. Reads for many schemas run on a pool of threads that
share one boto3 client, because clients are thread-safe and sessions are not.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import TypeVar

from schemagate.errors import RegistryError
from schemagate.registry.base import SchemaSummary, SchemaVersion
from schemagate.registry.cache import Listing, VersionCache, default_cache_root
from schemagate.registry.eventbridge import Described, EventBridgeRegistry

logger = logging.getLogger(__name__)

STALE_RETRY_DELAY_SECONDS = 0.2

Progress = Callable[[int], None]
T = TypeVar("T")
R = TypeVar("R")


class CachedEventBridgeRegistry:
    """A read-through cache in front of an EventBridgeRegistry; writes go straight through."""

    def __init__(
        self,
        remote: EventBridgeRegistry,
        cache_root: Path | None = None,
        use_cache: bool = True,
        jobs: int = 8,
    ) -> None:
        self.remote = remote
        self.jobs = max(1, jobs)
        self._cache_root = cache_root
        self._use_cache = use_cache
        self._cache: VersionCache | None = None
        self._summaries: dict[str, SchemaSummary] | None = None
        self._memo: dict[tuple[str, str], SchemaVersion] = {}
        self._latest: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def uri(self) -> str:
        return self.remote.uri

    @property
    def registry_name(self) -> str:
        return self.remote.registry_name

    def list_schemas(self) -> list[SchemaSummary]:
        """List every schema; the first call of a run reads the registry, later ones reuse it.

        One listing per run keeps every stage of a check on the same view of the registry.
        """
        if self._summaries is not None:
            return [self._summaries[name] for name in sorted(self._summaries)]
        return self.refresh()

    def refresh(self) -> list[SchemaSummary]:
        """List every schema with a fresh ListSchemas call, and remember the listing."""
        summaries = self.remote.list_schemas()
        with self._lock:
            self._summaries = {summary.name: summary for summary in summaries}
            identity = self.remote.identity()
            if self._use_cache and identity is not None and self._cache is None:
                self._cache = VersionCache(self._cache_root or default_cache_root(), identity)
        return summaries

    def list_versions(self, name: str) -> list[str]:
        summary = self._summary(name)
        if summary is None:
            return []
        listing = self._cached_listing(name, summary)
        if listing is not None and listing.versions is not None:
            return list(listing.versions)
        latest = self._latest_version(name)
        if latest is not None and latest.number == summary.version_count:
            # Numbers count up from 1 and are never reused, so when the latest number
            # equals the count, no version was deleted and the list is 1 to N. This
            # saves a ListSchemaVersions call per schema.
            versions = [str(number) for number in range(1, latest.number + 1)]
        else:
            versions = self.remote.list_versions(name)
        if len(versions) != summary.version_count and versions:
            raise RegistryError(
                self.uri,
                "ListSchemaVersions",
                f"schema {name!r} lists {len(versions)} version(s) but ListSchemas "
                f"counted {summary.version_count}; it changed while reading, so run again",
            )
        if versions and self._cache is not None:
            self._cache.write_listing(
                name,
                Listing(
                    summary.version_count, summary.last_modified, versions[-1], tuple(versions)
                ),
            )
        return versions

    def get_version(self, name: str, version: str | None = None) -> SchemaVersion | None:
        if version is None:
            return self._latest_version(name)
        return self._exact_version(name, version)

    def latest_now(self, name: str) -> SchemaVersion | None:
        """Read the latest version with a fresh DescribeSchema call, bypassing the listing."""
        described = self.remote.describe(name)
        if described is None:
            return None
        self._remember(described.version)
        return described.version

    def create_schema(
        self, name: str, schema_type: str, content: str, description: str | None = None
    ) -> SchemaVersion:
        return self.remote.create_schema(name, schema_type, content, description)

    def update_schema(
        self, name: str, schema_type: str, content: str, description: str | None = None
    ) -> SchemaVersion:
        return self.remote.update_schema(name, schema_type, content, description)

    def fetch(
        self,
        names: Iterable[str] | None = None,
        all_versions: bool = True,
        progress: Progress | None = None,
    ) -> dict[str, list[SchemaVersion]]:
        """Read the latest or every version of `names` (default: all) concurrently.

        Returns the versions of each schema that exists, sorted by number.
        """
        summaries = self._all_summaries()
        wanted = sorted(summaries if names is None else set(names) & set(summaries))
        if not all_versions:
            latest = self._run(wanted, self._latest_version, progress)
            return {name: [found] for name, found in zip(wanted, latest, strict=True) if found}
        listed = self._run(wanted, self.list_versions, None)
        pairs = [(n, v) for n, versions in zip(wanted, listed, strict=True) for v in versions]
        found = self._run(pairs, lambda pair: self._exact_version(*pair), progress)
        result: dict[str, list[SchemaVersion]] = {}
        for (name, number), item in zip(pairs, found, strict=True):
            if item is None:
                raise RegistryError(
                    self.uri,
                    "DescribeSchema",
                    f"version {number} of schema {name!r} was listed but is gone; run again",
                )
            result.setdefault(name, []).append(item)
        return result

    def _run(self, items: list[T], work: Callable[[T], R], progress: Progress | None) -> list[R]:
        """Apply `work` to every item on the pool; the first error cancels the rest."""
        if self.jobs == 1 or len(items) <= 1:
            return [_step(work(item), progress) for item in items]
        with ThreadPoolExecutor(self.jobs, thread_name_prefix="schemagate-read") as pool:
            futures: dict[Future[R], int] = {
                pool.submit(work, item): i for i, item in enumerate(items)
            }
            results: dict[int, R] = {}
            try:
                for future in as_completed(futures):
                    results[futures[future]] = _step(future.result(), progress)
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        return [results[i] for i in range(len(items))]

    def _all_summaries(self) -> dict[str, SchemaSummary]:
        if self._summaries is None:
            self.refresh()
        assert self._summaries is not None
        return self._summaries

    def _summary(self, name: str) -> SchemaSummary | None:
        return self._all_summaries().get(name)

    def _cached_listing(self, name: str, summary: SchemaSummary) -> Listing | None:
        if self._cache is None:
            return None
        listing = self._cache.read_listing(name)
        return listing if listing is not None and listing.matches(summary) else None

    def _latest_version(self, name: str) -> SchemaVersion | None:
        summary = self._summary(name)
        if summary is None:
            return None
        number = self._latest.get(name)
        listing = self._cached_listing(name, summary)
        if number is None and listing is not None:
            number = listing.latest
        if number is not None:
            known = self._known_version(name, number)
            if known is not None:
                return known
        found = self._describe_checked(name, None, summary)
        if found is None:
            return None
        with self._lock:
            self._latest[name] = found.version
        if self._cache is not None:
            versions = listing.versions if listing is not None else None
            self._cache.write_listing(
                name,
                Listing(summary.version_count, summary.last_modified, found.version, versions),
            )
        return found

    def _exact_version(self, name: str, number: str) -> SchemaVersion | None:
        known = self._known_version(name, number)
        if known is not None:
            return known
        return self._describe_checked(name, number, None)

    def _known_version(self, name: str, number: str) -> SchemaVersion | None:
        found = self._memo.get((name, number))
        if found is None and self._cache is not None:
            found = self._cache.read_version(name, number)
            if found is not None:
                self._memo[(name, number)] = found
        return found

    def _describe_checked(
        self, name: str, number: str | None, summary: SchemaSummary | None
    ) -> SchemaVersion | None:
        """Describe a version, re-reading while the reply is older than the request.

        A replica that lags behind returns an older version than the listing promised or
        than the number requested. Raises RegistryError when every attempt was stale.
        """
        attempts = self.remote.read_attempts
        problem = ""
        for attempt in range(1, attempts + 1):
            described = self.remote.describe(name, number)
            if described is None:
                return None
            problem = _staleness(name, number, summary, described)
            if not problem:
                self._remember(described.version)
                return described.version
            logger.info(
                "%s: stale read, %s (attempt %d of %d)", self.uri, problem, attempt, attempts
            )
            if attempt < attempts:
                time.sleep(STALE_RETRY_DELAY_SECONDS * attempt)
        raise RegistryError(
            self.uri,
            "DescribeSchema",
            f"stale read: {problem} in all {attempts} attempt(s); retry later",
        )

    def _remember(self, version: SchemaVersion) -> None:
        self._memo[(version.name, version.version)] = version
        if self._cache is not None:
            self._cache.write_version(version)


def _staleness(
    name: str, number: str | None, summary: SchemaSummary | None, described: Described
) -> str:
    """Return why a DescribeSchema reply is older than expected, or "" when it is not."""
    found = described.version
    if number is not None and found.version != number:
        return f"version {number} of {name!r} was requested and version {found.version} returned"
    if summary is None:
        return ""
    # Version numbers count up from 1 and are never reused, so the latest number is at
    # least the number of versions that exist.
    if found.number < summary.version_count:
        return (
            f"latest version of {name!r} returned as {found.version}, but ListSchemas "
            f"counted {summary.version_count} version(s)"
        )
    modified = described.last_modified
    if (
        modified is not None
        and summary.last_modified is not None
        and modified < summary.last_modified
    ):
        return (
            f"{name!r} returned as last modified at {modified}, but ListSchemas showed "
            f"{summary.last_modified}"
        )
    return ""


def _step(result: R, progress: Progress | None) -> R:
    if progress is not None:
        progress(1)
    return result
