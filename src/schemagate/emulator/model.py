"""Records and errors that the emulator's store and API share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


class ServiceError(Exception):
    """An error response of the Schemas API: HTTP status, error code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def bad_request(message: str) -> ServiceError:
    return ServiceError(400, "BadRequestException", message)


def not_found(message: str) -> ServiceError:
    return ServiceError(404, "NotFoundException", message)


def conflict(message: str) -> ServiceError:
    return ServiceError(409, "ConflictException", message)


@dataclass(frozen=True)
class RegistryRecord:
    name: str
    description: str | None
    tags: dict[str, str]


@dataclass(frozen=True)
class SchemaRecord:
    """One schema with the count and time of its versions, as `ListSchemas` shows it."""

    registry: str
    name: str
    tags: dict[str, str]
    version_count: int
    last_modified: str


@dataclass(frozen=True)
class VersionRecord:
    registry: str
    schema: str
    number: int
    type: str
    content: str
    description: str | None
    created: str
    last_modified: str
    tags: dict[str, str]


def utc_now() -> str:
    """Return the current time as ISO 8601 in UTC with milliseconds, as the service does."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
