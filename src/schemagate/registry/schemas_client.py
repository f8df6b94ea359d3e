"""The part of the boto3 `schemas` client that schemagate uses, as a typing Protocol.

Tests check that both the boto3-stubs client class (statically, with mypy) and a live
boto3 client (at run time) satisfy it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, Protocol, overload, runtime_checkable


class SchemaListPaginator(Protocol):
    def paginate(self, *, RegistryName: str) -> Iterable[Mapping[str, Any]]: ...


class SchemaVersionListPaginator(Protocol):
    def paginate(self, *, RegistryName: str, SchemaName: str) -> Iterable[Mapping[str, Any]]: ...


@runtime_checkable
class SchemasClient(Protocol):
    """The methods of the boto3 `schemas` client that EventBridgeRegistry calls.

    The overloads of `get_paginator` follow the order of boto3-stubs, because mypy
    matches overloads in order when it compares the stub class with this protocol.
    """

    def describe_registry(self, *, RegistryName: str) -> Mapping[str, Any]: ...

    def describe_schema(
        self, *, RegistryName: str, SchemaName: str, SchemaVersion: str = ...
    ) -> Mapping[str, Any]: ...

    def create_schema(
        self,
        *,
        RegistryName: str,
        SchemaName: str,
        Type: Any,
        Content: str,
        Description: str = ...,
    ) -> Mapping[str, Any]: ...

    def update_schema(
        self,
        *,
        RegistryName: str,
        SchemaName: str,
        Type: Any = ...,
        Content: str = ...,
        Description: str = ...,
    ) -> Mapping[str, Any]: ...

    @overload
    def get_paginator(
        self, operation_name: Literal["list_schema_versions"]
    ) -> SchemaVersionListPaginator: ...

    @overload
    def get_paginator(self, operation_name: Literal["list_schemas"]) -> SchemaListPaginator: ...
