"""SQLite state of the emulated EventBridge Schema Registry.

The store enforces the service rules that tests depend on: version numbers count up from
1 per schema, an update with unchanged content and type is rejected, and unknown
registries, schemas and versions raise NotFoundException. The number of a deleted
version is not handed out again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from schemagate.emulator.model import (
    RegistryRecord,
    SchemaRecord,
    VersionRecord,
    bad_request,
    conflict,
    not_found,
    utc_now,
)

_TABLES = """
CREATE TABLE IF NOT EXISTS registries (
    name TEXT PRIMARY KEY,
    description TEXT,
    tags TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS schemas (
    registry TEXT NOT NULL REFERENCES registries (name) ON DELETE CASCADE,
    name TEXT NOT NULL,
    tags TEXT NOT NULL,
    created TEXT NOT NULL,
    next_version INTEGER NOT NULL,
    PRIMARY KEY (registry, name)
);
CREATE TABLE IF NOT EXISTS versions (
    registry TEXT NOT NULL,
    schema TEXT NOT NULL,
    number INTEGER NOT NULL,
    type TEXT NOT NULL,
    content TEXT NOT NULL,
    description TEXT,
    created TEXT NOT NULL,
    PRIMARY KEY (registry, schema, number),
    FOREIGN KEY (registry, schema) REFERENCES schemas (registry, name) ON DELETE CASCADE
);
"""


class Store:
    """Registries, schemas and versions in one SQLite database, safe across threads.

    `path` is a file name, or ":memory:" for state that ends with the process.
    """

    def __init__(self, path: str = ":memory:", clock: Callable[[], str] = utc_now) -> None:
        self._connection = sqlite3.connect(path, check_same_thread=False)
        try:
            self._connection.execute("PRAGMA foreign_keys = ON")
            self._connection.executescript(_TABLES)
        except sqlite3.Error:
            self._connection.close()
            raise
        self._lock = threading.Lock()
        self._clock = clock

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # One lock serialises all requests, and `with connection` commits or rolls back.
        with self._lock, self._connection:
            yield self._connection

    # Registries

    def create_registry(
        self, name: str, description: str | None, tags: dict[str, str]
    ) -> RegistryRecord:
        with self._transaction() as db:
            try:
                db.execute(
                    "INSERT INTO registries (name, description, tags) VALUES (?, ?, ?)",
                    (name, description, json.dumps(tags)),
                )
            except sqlite3.IntegrityError:
                raise conflict(f"Registry with name {name} already exists.") from None
        return RegistryRecord(name, description, tags)

    def ensure_registry(self, name: str) -> bool:
        """Create registry `name` unless it exists; return whether it was created."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO registries (name, description, tags) VALUES (?, NULL, ?)",
                (name, json.dumps({})),
            )
        return cursor.rowcount == 1

    def describe_registry(self, name: str) -> RegistryRecord:
        with self._transaction() as db:
            return _registry(db, name)

    def list_registries(
        self, prefix: str, after: str | None, limit: int
    ) -> tuple[list[RegistryRecord], bool]:
        """List up to `limit` registries named after `after`, and whether more follow."""
        with self._transaction() as db:
            rows = db.execute(
                "SELECT name, description, tags FROM registries"
                " WHERE substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?",
                (len(prefix), prefix, after or "", limit + 1),
            ).fetchall()
        records = [RegistryRecord(row[0], row[1], json.loads(row[2])) for row in rows]
        return records[:limit], len(records) > limit

    def delete_registry(self, name: str) -> None:
        # NOTE: what the service does with a registry that still has schemas is not
        # known here, so this store deletes the schemas with it.
        with self._transaction() as db:
            _registry(db, name)
            db.execute("DELETE FROM registries WHERE name = ?", (name,))

    # Schemas

    def create_schema(
        self,
        registry: str,
        name: str,
        schema_type: str,
        content: str,
        description: str | None,
        tags: dict[str, str],
    ) -> VersionRecord:
        with self._transaction() as db:
            _registry(db, registry)
            created = self._clock()
            try:
                db.execute(
                    "INSERT INTO schemas (registry, name, tags, created, next_version)"
                    " VALUES (?, ?, ?, ?, 1)",
                    (registry, name, json.dumps(tags), created),
                )
            except sqlite3.IntegrityError:
                raise conflict(f"Schema with name {name} already exists.") from None
            _insert_version(db, registry, name, schema_type, content, description, created)
            return _version(db, registry, name, None)

    def update_schema(
        self,
        registry: str,
        name: str,
        schema_type: str | None,
        content: str | None,
        description: str | None,
    ) -> VersionRecord:
        """Add a version. A type, content or description of None keeps the latest value."""
        with self._transaction() as db:
            latest = _version(db, registry, name, None)
            new_type = schema_type or latest.type
            new_content = content if content is not None else latest.content
            if new_type == latest.type and new_content == latest.content:
                raise bad_request(
                    f"Schema {name} has no change since the previous version "
                    f"{latest.number}; the update was not applied."
                )
            new_description = description if description is not None else latest.description
            created = self._clock()
            _insert_version(db, registry, name, new_type, new_content, new_description, created)
            return _version(db, registry, name, None)

    def describe_schema(self, registry: str, name: str, number: int | None) -> VersionRecord:
        """Return version `number` of a schema, or its latest version when it is None."""
        with self._transaction() as db:
            return _version(db, registry, name, number)

    def list_schemas(
        self, registry: str, prefix: str, after: str | None, limit: int
    ) -> tuple[list[SchemaRecord], bool]:
        """List up to `limit` schemas named after `after`, and whether more follow."""
        with self._transaction() as db:
            _registry(db, registry)
            rows = db.execute(
                "SELECT s.name, s.tags, count(v.number), coalesce(max(v.created), s.created)"
                " FROM schemas AS s LEFT JOIN versions AS v"
                " ON v.registry = s.registry AND v.schema = s.name"
                " WHERE s.registry = ? AND substr(s.name, 1, ?) = ? AND s.name > ?"
                " GROUP BY s.name ORDER BY s.name LIMIT ?",
                (registry, len(prefix), prefix, after or "", limit + 1),
            ).fetchall()
        records = [
            SchemaRecord(registry, row[0], json.loads(row[1]), row[2], row[3]) for row in rows
        ]
        return records[:limit], len(records) > limit

    def list_versions(
        self, registry: str, name: str, after: int | None, limit: int
    ) -> tuple[list[VersionRecord], bool]:
        """List up to `limit` versions numbered above `after`, and whether more follow."""
        with self._transaction() as db:
            _schema_tags(db, registry, name)
            numbers = [
                row[0]
                for row in db.execute(
                    "SELECT number FROM versions WHERE registry = ? AND schema = ? AND number > ?"
                    " ORDER BY number LIMIT ?",
                    (registry, name, after or 0, limit + 1),
                )
            ]
            records = [_version(db, registry, name, number) for number in numbers[:limit]]
        return records, len(numbers) > limit

    def delete_version(self, registry: str, name: str, number: int) -> None:
        # NOTE: the model does not say whether the service allows deleting the only
        # remaining version. This store rejects it, so a schema always has a version.
        with self._transaction() as db:
            _version(db, registry, name, number)
            (count,) = db.execute(
                "SELECT count(*) FROM versions WHERE registry = ? AND schema = ?",
                (registry, name),
            ).fetchone()
            if count == 1:
                raise bad_request(
                    f"Version {number} is the only version of schema {name}; "
                    "delete the schema instead."
                )
            db.execute(
                "DELETE FROM versions WHERE registry = ? AND schema = ? AND number = ?",
                (registry, name, number),
            )

    def delete_schema(self, registry: str, name: str) -> None:
        with self._transaction() as db:
            _schema_tags(db, registry, name)
            db.execute("DELETE FROM schemas WHERE registry = ? AND name = ?", (registry, name))


def _registry(db: sqlite3.Connection, name: str) -> RegistryRecord:
    row = db.execute(
        "SELECT name, description, tags FROM registries WHERE name = ?", (name,)
    ).fetchone()
    if row is None:
        raise not_found(f"Registry {name} does not exist.")
    return RegistryRecord(row[0], row[1], json.loads(row[2]))


def _schema_tags(db: sqlite3.Connection, registry: str, name: str) -> dict[str, str]:
    _registry(db, registry)
    row = db.execute(
        "SELECT tags FROM schemas WHERE registry = ? AND name = ?", (registry, name)
    ).fetchone()
    if row is None:
        raise not_found(f"Schema {name} does not exist in registry {registry}.")
    tags: dict[str, str] = json.loads(row[0])
    return tags


def _version(
    db: sqlite3.Connection, registry: str, name: str, number: int | None
) -> VersionRecord:
    tags = _schema_tags(db, registry, name)
    columns = "number, type, content, description, created"
    if number is None:
        row = db.execute(
            f"SELECT {columns} FROM versions WHERE registry = ? AND schema = ?"
            " ORDER BY number DESC LIMIT 1",
            (registry, name),
        ).fetchone()
    else:
        row = db.execute(
            f"SELECT {columns} FROM versions WHERE registry = ? AND schema = ? AND number = ?",
            (registry, name, number),
        ).fetchone()
    if row is None:
        raise not_found(f"Version {number} of schema {name} does not exist.")
    (last_modified,) = db.execute(
        "SELECT max(created) FROM versions WHERE registry = ? AND schema = ?", (registry, name)
    ).fetchone()
    return VersionRecord(
        registry, name, row[0], row[1], row[2], row[3], row[4], last_modified, tags
    )


def _insert_version(
    db: sqlite3.Connection,
    registry: str,
    name: str,
    schema_type: str,
    content: str,
    description: str | None,
    created: str,
) -> None:
    # `next_version` only grows, so a deleted version's number is never handed out again.
    (number,) = db.execute(
        "SELECT next_version FROM schemas WHERE registry = ? AND name = ?", (registry, name)
    ).fetchone()
    db.execute(
        "INSERT INTO versions (registry, schema, number, type, content, description, created)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (registry, name, number, schema_type, content, description, created),
    )
    db.execute(
        "UPDATE schemas SET next_version = ? WHERE registry = ? AND name = ?",
        (number + 1, registry, name),
    )
