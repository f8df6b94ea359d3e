"""The `eventbridge:NAME` registry: Amazon EventBridge Schema Registry through boto3.

Region, credentials and endpoint come from the standard AWS configuration (environment,
shared config files, instance roles), so `AWS_ENDPOINT_URL_SCHEMAS` points schemagate
at the emulator. Every service or network failure becomes a RegistryError whose
one-line message names the registry and the failed call.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from schemagate import __version__
from schemagate.errors import ConflictError, InputError, RegistryError
from schemagate.registry.base import SchemaSummary, SchemaVersion, sort_versions
from schemagate.registry.cache import RegistryIdentity
from schemagate.registry.replies import (
    READ_TIMEOUT_VARIABLE,
    TRUNCATED_MARK,
    arn_account,
    mark_truncated_body,
    one_line,
    origin,
    read_timeout,
    schema_version,
    timestamp,
)
from schemagate.registry.schemas_client import SchemasClient

# Attempts per call, including the first. botocore's standard mode backs off between them.
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_POOL_SIZE = 10
CONNECT_TIMEOUT_SECONDS = 5
INCOMPLETE_RETRY_DELAY_SECONDS = 0.2
logger = logging.getLogger(__name__)

_THROTTLING_CODES = frozenset({"TooManyRequestsException", "ThrottlingException", "Throttling"})


@dataclass(frozen=True)
class Described:
    """A DescribeSchema reply: the version, and when the schema as a whole last changed."""

    version: SchemaVersion
    last_modified: str | None


class _NotFound(Exception):
    """A NotFoundException that the caller turns into an absent result."""


class EventBridgeRegistry:
    """A writable registry backed by one EventBridge schema registry."""

    def __init__(
        self,
        name: str,
        client: SchemasClient | None = None,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        """Open registry `name`.

        `max_attempts` bounds the SDK's retries of a client created here, and the
        re-reads of replies that arrive cut off. `pool_size` is the number of HTTP
        connections a client created here keeps, one per concurrent request.
        """
        self.registry_name = name
        # The AWS account that owns the registry, read from the ARNs ListSchemas returns.
        self.account: str | None = None
        self.read_attempts = max_attempts
        self._attempts: int | None = None
        if client is None:
            self._attempts = max_attempts
            client = self._create_client(max_attempts, pool_size)
        self._client = client
        events = getattr(getattr(client, "meta", None), "events", None)
        if events is not None:
            events.register("before-parse.schemas.*", mark_truncated_body)

    @property
    def uri(self) -> str:
        return f"eventbridge:{self.registry_name}"

    def list_schemas(self) -> list[SchemaSummary]:
        rows = self._list_pages(
            "ListSchemas", "Schemas", lambda: self._paginate_schemas(), absent_on_not_found=False
        )
        assert rows is not None
        summaries = []
        for row in rows:
            if self.account is None:
                self.account = arn_account(str(row.get("SchemaArn", "")))
            summaries.append(
                SchemaSummary(
                    name=row["SchemaName"],
                    version_count=int(row.get("VersionCount", 0)),
                    last_modified=timestamp(row.get("LastModified")),
                )
            )
        return sorted(summaries, key=lambda summary: summary.name)

    def list_versions(self, name: str) -> list[str]:
        rows = self._list_pages(
            "ListSchemaVersions",
            "SchemaVersions",
            lambda: self._paginate_versions(name),
            absent_on_not_found=True,
        )
        if rows is None:
            self._check_registry_exists()
            return []
        return sort_versions(str(row["SchemaVersion"]) for row in rows)

    def get_version(self, name: str, version: str | None = None) -> SchemaVersion | None:
        """Return one version, or None when the schema or version does not exist.

        Raises RegistryError when the registry itself does not exist.
        """
        described = self.describe(name, version)
        return None if described is None else described.version

    def describe(self, name: str, version: str | None = None) -> Described | None:
        """Call DescribeSchema once per attempt until a complete reply arrives.

        Returns None when the schema or version does not exist, and raises
        RegistryError when the registry does not exist or every reply was cut off.
        """
        extra = {} if version is None else {"SchemaVersion": version}
        for attempt in range(1, self.read_attempts + 1):
            try:
                with self._translate("DescribeSchema", absent_on_not_found=True):
                    response = self._client.describe_schema(
                        RegistryName=self.registry_name, SchemaName=name, **extra
                    )
            except _NotFound:
                self._check_registry_exists()
                return None
            if not response.get(TRUNCATED_MARK) and "Content" in response:
                return Described(
                    schema_version(name, response, response["Content"]),
                    timestamp(response.get("LastModified")),
                )
            self._log_incomplete("DescribeSchema", attempt)
        raise self._incomplete_error("DescribeSchema")

    def identity(self) -> RegistryIdentity | None:
        """Return what keys this registry in the cache, once list_schemas found its account."""
        if self.account is None:
            return None
        meta = getattr(self._client, "meta", None)
        return RegistryIdentity(
            endpoint=str(getattr(meta, "endpoint_url", "")),
            region=str(getattr(meta, "region_name", "")),
            account=self.account,
            registry=self.registry_name,
        )

    def _paginate_schemas(self) -> Iterable[Mapping[str, Any]]:
        paginator = self._client.get_paginator("list_schemas")
        return paginator.paginate(RegistryName=self.registry_name)

    def _paginate_versions(self, name: str) -> Iterable[Mapping[str, Any]]:
        paginator = self._client.get_paginator("list_schema_versions")
        return paginator.paginate(RegistryName=self.registry_name, SchemaName=name)

    def _list_pages(
        self,
        operation: str,
        key: str,
        pages: Callable[[], Iterable[Mapping[str, Any]]],
        absent_on_not_found: bool,
    ) -> list[Mapping[str, Any]] | None:
        """Collect the rows of every page, starting over when a page was cut off.

        Returns None when `absent_on_not_found` is set and the call raised NotFoundException.
        """
        for attempt in range(1, self.read_attempts + 1):
            rows: list[Mapping[str, Any]] = []
            complete = True
            try:
                with self._translate(operation, absent_on_not_found=absent_on_not_found):
                    for page in pages():
                        if page.get(TRUNCATED_MARK):
                            complete = False
                            break
                        rows.extend(page.get(key, []))
            except _NotFound:
                return None
            if complete:
                return rows
            self._log_incomplete(operation, attempt)
        raise self._incomplete_error(operation)

    def _log_incomplete(self, operation: str, attempt: int) -> None:
        logger.info(
            "%s: %s reply was cut off (attempt %d of %d); retrying",
            self.uri,
            operation,
            attempt,
            self.read_attempts,
        )
        if attempt < self.read_attempts:
            time.sleep(INCOMPLETE_RETRY_DELAY_SECONDS * attempt)

    def _incomplete_error(self, operation: str) -> RegistryError:
        return RegistryError(
            self.uri,
            operation,
            f"reply was cut off or incomplete in all {self.read_attempts} attempt(s); "
            "check the network or proxy and retry",
        )

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
        return schema_version(name, response, content)

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
        return schema_version(name, response, content)

    def _check_registry_exists(self) -> None:
        with self._translate("DescribeRegistry"):
            self._client.describe_registry(RegistryName=self.registry_name)

    def _create_client(self, max_attempts: int, pool_size: int) -> SchemasClient:
        # Imported here because importing boto3 takes about 200 ms.
        import boto3
        from botocore.config import Config

        config = Config(
            retries={"mode": "standard", "total_max_attempts": max_attempts},
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            read_timeout=read_timeout(),
            max_pool_connections=pool_size,
            user_agent_extra=f"schemagate/{__version__}",
        )
        with self._translate("create client"):
            # A session of its own, because boto3's default session caches credentials
            # for the whole process.
            session = boto3.session.Session()
            # botocore 1.44 does not read AWS_REGION, which the other AWS SDKs read, so
            # it applies when botocore finds no region of its own.
            region = None if session.region_name else os.environ.get("AWS_REGION") or None
            try:
                client: SchemasClient = session.client(
                    "schemas", config=config, region_name=region
                )
            except ValueError as exc:
                # botocore 1.x raises a bare ValueError("Invalid endpoint: ...") for an
                # endpoint URL it cannot parse.
                if not str(exc).startswith("Invalid endpoint"):
                    raise
                raise InputError(_invalid_endpoint_message(str(exc))) from None
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
            region = self._region() or "the configured region"
            return (
                f"registry {self.registry_name!r} not found in {region} for this account; "
                "check the name, the region (AWS_REGION or AWS_DEFAULT_REGION) and the "
                "account, or create the registry"
            )
        if code in _THROTTLING_CODES or status == 429:
            return f"throttled ({code}) after {attempts} attempt(s); retry later"
        message = one_line(str(response.get("Error", {}).get("Message", "")))
        return f"{code or 'error'} (HTTP {status}): {message}"

    def _region(self) -> str | None:
        meta = getattr(getattr(self, "_client", None), "meta", None)
        region = getattr(meta, "region_name", None)
        return region if isinstance(region, str) else None

    def _botocore_problem(self, exc: Exception) -> str:
        from botocore.exceptions import (
            EndpointConnectionError,
            NoCredentialsError,
            NoRegionError,
            ReadTimeoutError,
        )

        if isinstance(exc, NoCredentialsError):
            return (
                "no AWS credentials found; set AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY"
            )
        if isinstance(exc, NoRegionError):
            return (
                "no AWS region configured; set AWS_REGION, AWS_DEFAULT_REGION or `region` "
                "in the AWS config profile"
            )
        if isinstance(exc, EndpointConnectionError):
            endpoint = origin(str(exc.kwargs.get("endpoint_url", "")))
            attempts = "" if self._attempts is None else f" after {self._attempts} attempt(s)"
            region = self._region()
            return (
                f"cannot connect to {endpoint}{attempts}; check the network, the region "
                f"({region or 'not set'}, from AWS_REGION or AWS_DEFAULT_REGION) and "
                "AWS_ENDPOINT_URL_SCHEMAS"
            )
        if isinstance(exc, ReadTimeoutError):
            endpoint = origin(str(exc.kwargs.get("endpoint_url", "")))
            attempts = "" if self._attempts is None else f" in all {self._attempts} attempt(s)"
            return (
                f"timed out waiting for a reply from {endpoint}{attempts}; retry later, or "
                f"raise {READ_TIMEOUT_VARIABLE} (now {read_timeout():g} s)"
            )
        # botocore 1.44 formats its credential errors from the provider and setting names,
        # not from key values, so the message is safe to print.
        return one_line(f"{type(exc).__name__}: {exc}")


def _invalid_endpoint_message(problem: str) -> str:
    value = problem.partition(":")[2].strip()
    for variable in ("AWS_ENDPOINT_URL_SCHEMAS", "AWS_ENDPOINT_URL"):
        if variable in os.environ:
            return (
                f"invalid endpoint URL {value!r} in {variable}; set it to a URL such as "
                f"http://127.0.0.1:8080, or unset it to use the AWS endpoint"
            )
    return (
        f"invalid endpoint URL {value!r} in the AWS configuration; fix `endpoint_url` "
        "in the AWS config profile"
    )
