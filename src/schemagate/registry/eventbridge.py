"""The `eventbridge:NAME` registry: Amazon EventBridge Schema Registry through boto3.

Region, credentials and endpoint come from the standard AWS configuration (environment,
shared config files, instance roles), so `AWS_ENDPOINT_URL_SCHEMAS` points schemagate
at the emulator. Every service or network failure becomes a RegistryError whose
one-line message names the registry and the failed call.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from schemagate import __version__
from schemagate.errors import ConflictError, RegistryError
from schemagate.registry.base import SchemaSummary, SchemaVersion, sort_versions
from schemagate.registry.schemas_client import SchemasClient

# Attempts per call, including the first. botocore's standard mode backs off between them.
DEFAULT_MAX_ATTEMPTS = 3
CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 30
_THROTTLING_CODES = frozenset({"TooManyRequestsException", "ThrottlingException", "Throttling"})


class _NotFound(Exception):
    """A NotFoundException that the caller turns into an absent result."""


class EventBridgeRegistry:
    """A writable registry backed by one EventBridge schema registry."""

    def __init__(
        self,
        name: str,
        client: SchemasClient | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> None:
        """Open registry `name`. `max_attempts` configures only a client created here."""
        self.registry_name = name
        self._attempts: int | None = None
        if client is None:
            self._attempts = max_attempts
            client = self._create_client(max_attempts)
        self._client = client

    @property
    def uri(self) -> str:
        return f"eventbridge:{self.registry_name}"

    def list_schemas(self) -> list[SchemaSummary]:
        paginator = self._client.get_paginator("list_schemas")
        summaries = []
        with self._translate("ListSchemas"):
            for page in paginator.paginate(RegistryName=self.registry_name):
                for row in page.get("Schemas", []):
                    summaries.append(
                        SchemaSummary(
                            name=row["SchemaName"],
                            version_count=int(row.get("VersionCount", 0)),
                            last_modified=_timestamp(row.get("LastModified")),
                        )
                    )
        return sorted(summaries, key=lambda summary: summary.name)

    def list_versions(self, name: str) -> list[str]:
        paginator = self._client.get_paginator("list_schema_versions")
        versions: list[str] = []
        try:
            with self._translate("ListSchemaVersions", absent_on_not_found=True):
                pages = paginator.paginate(RegistryName=self.registry_name, SchemaName=name)
                for page in pages:
                    versions.extend(row["SchemaVersion"] for row in page.get("SchemaVersions", []))
        except _NotFound:
            self._check_registry_exists()
            return []
        return sort_versions(versions)

    def get_version(self, name: str, version: str | None = None) -> SchemaVersion | None:
        """Return one version, or None when the schema or version does not exist.

        Raises RegistryError when the registry itself does not exist.
        """
        try:
            with self._translate("DescribeSchema", absent_on_not_found=True):
                if version is None:
                    response = self._client.describe_schema(
                        RegistryName=self.registry_name, SchemaName=name
                    )
                else:
                    response = self._client.describe_schema(
                        RegistryName=self.registry_name, SchemaName=name, SchemaVersion=version
                    )
        except _NotFound:
            self._check_registry_exists()
            return None
        return _schema_version(name, response, response["Content"])

    def create_schema(
        self, name: str, schema_type: str, content: str, description: str | None = None
    ) -> SchemaVersion:
        extra = {} if description is None else {"Description": description}
        with self._translate("CreateSchema", schema=name):
            response = self._client.create_schema(
                RegistryName=self.registry_name,
                SchemaName=name,
                Type=schema_type,
                Content=content,
                **extra,
            )
        return _schema_version(name, response, content)

    def update_schema(
        self, name: str, schema_type: str, content: str, description: str | None = None
    ) -> SchemaVersion:
        extra = {} if description is None else {"Description": description}
        try:
            with self._translate("UpdateSchema", absent_on_not_found=True):
                response = self._client.update_schema(
                    RegistryName=self.registry_name,
                    SchemaName=name,
                    Type=schema_type,
                    Content=content,
                    **extra,
                )
        except _NotFound:
            self._check_registry_exists()
            raise RegistryError(
                self.uri, "UpdateSchema", f"schema {name!r} not found; create it first"
            ) from None
        return _schema_version(name, response, content)

    def _check_registry_exists(self) -> None:
        with self._translate("DescribeRegistry"):
            self._client.describe_registry(RegistryName=self.registry_name)

    def _create_client(self, max_attempts: int) -> SchemasClient:
        # Imported here because importing boto3 takes about 200 ms.
        import boto3
        from botocore.config import Config

        config = Config(
            retries={"mode": "standard", "total_max_attempts": max_attempts},
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            read_timeout=READ_TIMEOUT_SECONDS,
            user_agent_extra=f"schemagate/{__version__}",
        )
        with self._translate("create client"):
            # A session of its own, because boto3's default session caches credentials
            # for the whole process.
            session = boto3.session.Session()
            client: SchemasClient = session.client("schemas", config=config)
        return client

    @contextmanager
    def _translate(
        self, operation: str, schema: str | None = None, absent_on_not_found: bool = False
    ) -> Iterator[None]:
        """Turn botocore errors raised inside the block into RegistryError.

        With `absent_on_not_found`, a NotFoundException raises _NotFound so the caller
        can tell a missing schema from a missing registry.
        """
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code == "NotFoundException" and absent_on_not_found:
                raise _NotFound() from exc
            if code == "ConflictException" and schema is not None:
                raise ConflictError(
                    self.uri,
                    operation,
                    f"schema {schema!r} already exists; update it instead of creating it",
                ) from None
            raise RegistryError(self.uri, operation, self._client_problem(code, exc)) from None
        except BotoCoreError as exc:
            raise RegistryError(self.uri, operation, self._botocore_problem(exc)) from None

    def _client_problem(self, code: str, exc: Any) -> str:
        response: Mapping[str, Any] = exc.response
        metadata = response.get("ResponseMetadata", {})
        status = metadata.get("HTTPStatusCode")
        attempts = int(metadata.get("RetryAttempts", 0)) + 1
        if code == "NotFoundException":
            return (
                f"registry {self.registry_name!r} not found in this account and region; "
                "check the name and AWS_DEFAULT_REGION, or create the registry"
            )
        if code in _THROTTLING_CODES or status == 429:
            return f"throttled ({code}) after {attempts} attempt(s); retry later"
        message = _one_line(str(response.get("Error", {}).get("Message", "")))
        return f"{code or 'error'} (HTTP {status}): {message}"

    def _botocore_problem(self, exc: Exception) -> str:
        from botocore.exceptions import EndpointConnectionError, NoCredentialsError, NoRegionError

        if isinstance(exc, NoCredentialsError):
            return (
                "no AWS credentials found; set AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY"
            )
        if isinstance(exc, NoRegionError):
            return (
                "no AWS region configured; set AWS_DEFAULT_REGION or `region` in the AWS "
                "config profile"
            )
        if isinstance(exc, EndpointConnectionError):
            endpoint = _origin(str(exc.kwargs.get("endpoint_url", "")))
            attempts = "" if self._attempts is None else f" after {self._attempts} attempt(s)"
            return (
                f"cannot connect to {endpoint}{attempts}; "
                "check the network and AWS_ENDPOINT_URL_SCHEMAS"
            )
        # botocore 1.44 formats its credential errors from the provider and setting names,
        # not from key values, so the message is safe to print.
        return _one_line(f"{type(exc).__name__}: {exc}")


def _schema_version(name: str, response: Mapping[str, Any], content: str) -> SchemaVersion:
    return SchemaVersion(
        name=name,
        version=str(response["SchemaVersion"]),
        type=str(response["Type"]),
        content=content,
        created=_timestamp(response.get("VersionCreatedDate")),
        description=response.get("Description"),
    )


def _timestamp(value: datetime | None) -> str | None:
    """Format a botocore timestamp as ISO 8601 in UTC, so snapshots do not depend on TZ."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _origin(url: str) -> str:
    """Reduce a request URL to scheme, host and port, leaving out path, query and user info."""
    parts = urlsplit(url)
    if not parts.scheme or parts.hostname is None:
        return "the endpoint"
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    port = "" if parts.port is None else f":{parts.port}"
    return f"{parts.scheme}://{host}{port}"


def _one_line(text: str, max_length: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= max_length else line[: max_length - 3] + "..."
