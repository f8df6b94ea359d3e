"""Operations of the Schemas REST API (botocore model `schemas` 2019-12-02) on a Store.

Each handler takes the path parameters and the request and returns a Response. Wire
names, status codes and error codes follow the model, so the real boto3 client parses
the replies. Only the operations schemagate calls are routed.
"""

from __future__ import annotations

from collections.abc import Callable

from schemagate.emulator import wire
from schemagate.emulator.model import ServiceError, bad_request, not_found
from schemagate.emulator.store import Store
from schemagate.emulator.wire import DEFAULT_PAGE_SIZE, Request, Response, error_response

Params = dict[str, str]
Handler = Callable[["Api", Params, Request], Response]


class Api:
    """Route requests to operation handlers and turn ServiceError into error replies."""

    def __init__(self, store: Store, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self.store = store
        self.page_size = page_size

    def handle(self, request: Request) -> Response:
        for method, pattern, handler in _ROUTES:
            params = _match(pattern, request.segments)
            if method == request.method and params is not None:
                try:
                    return handler(self, params, request)
                except ServiceError as error:
                    return error_response(error)
        return error_response(
            not_found(f"No operation matches {request.method} /{'/'.join(request.segments)}.")
        )


def operation_name(request: Request) -> str | None:
    """Return the API operation a request calls, such as `DescribeSchema`, or None."""
    for method, pattern, handler in _ROUTES:
        if method == request.method and _match(pattern, request.segments) is not None:
            return "".join(part.capitalize() for part in handler.__name__.split("_"))
    return None


def _match(pattern: tuple[str, ...], segments: tuple[str, ...]) -> Params | None:
    if len(pattern) != len(segments):
        return None
    params: Params = {}
    for expected, actual in zip(pattern, segments, strict=True):
        if expected.startswith("{"):
            params[expected[1:-1]] = actual
        elif expected != actual:
            return None
    return params


# Operations


def create_registry(api: Api, params: Params, request: Request) -> Response:
    body = wire.json_body(request)
    description = wire.description(body)
    record = api.store.create_registry(params["registry"], description, wire.tags(body))
    return Response(201, wire.registry_body(record))


def describe_registry(api: Api, params: Params, request: Request) -> Response:
    return Response(200, wire.registry_body(api.store.describe_registry(params["registry"])))


def list_registries(api: Api, params: Params, request: Request) -> Response:
    # NOTE: the `scope` filter is ignored because the emulator contains no AWS-owned registries.
    prefix = request.query.get("registryNamePrefix", "")
    records, more = api.store.list_registries(
        prefix, wire.decode_token(request), wire.page_limit(request, api.page_size)
    )
    rows = [wire.registry_body(record) for record in records]
    return wire.page("Registries", rows, records[-1].name if more else None)


def delete_registry(api: Api, params: Params, request: Request) -> Response:
    api.store.delete_registry(params["registry"])
    return Response(204)


def create_schema(api: Api, params: Params, request: Request) -> Response:
    body = wire.json_body(request)
    record = api.store.create_schema(
        params["registry"],
        params["schema"],
        schema_type=str(wire.schema_type(body, required=True)),
        content=str(wire.content(body, required=True)),
        description=wire.description(body),
        tags=wire.tags(body),
    )
    return Response(201, wire.version_body(record, with_content=False))


def update_schema(api: Api, params: Params, request: Request) -> Response:
    body = wire.json_body(request)
    record = api.store.update_schema(
        params["registry"],
        params["schema"],
        schema_type=wire.schema_type(body, required=False),
        content=wire.content(body, required=False),
        description=wire.description(body),
    )
    return Response(200, wire.version_body(record, with_content=False))


def describe_schema(api: Api, params: Params, request: Request) -> Response:
    number = wire.version_number(request.query.get("schemaVersion"))
    record = api.store.describe_schema(params["registry"], params["schema"], number)
    return Response(200, wire.version_body(record, with_content=True))


def list_schemas(api: Api, params: Params, request: Request) -> Response:
    records, more = api.store.list_schemas(
        params["registry"],
        request.query.get("schemaNamePrefix", ""),
        wire.decode_token(request),
        wire.page_limit(request, api.page_size),
    )
    rows = [wire.schema_summary(record) for record in records]
    return wire.page("Schemas", rows, records[-1].name if more else None)


def list_schema_versions(api: Api, params: Params, request: Request) -> Response:
    after = wire.decode_token(request)
    if after is not None and not isinstance(after, int):
        raise bad_request("nextToken is invalid. Start the listing again without it.")
    records, more = api.store.list_versions(
        params["registry"], params["schema"], after, wire.page_limit(request, api.page_size)
    )
    rows = [
        {
            "SchemaArn": wire.schema_arn(record.registry, record.schema),
            "SchemaName": record.schema,
            "SchemaVersion": str(record.number),
            "Type": record.type,
        }
        for record in records
    ]
    return wire.page("SchemaVersions", rows, records[-1].number if more else None)


def delete_schema_version(api: Api, params: Params, request: Request) -> Response:
    number = wire.version_number(params["version"])
    if number is None:
        raise not_found("Version is missing from the request path.")
    api.store.delete_version(params["registry"], params["schema"], number)
    return Response(204)


def delete_schema(api: Api, params: Params, request: Request) -> Response:
    api.store.delete_schema(params["registry"], params["schema"])
    return Response(204)


_REGISTRY = ("v1", "registries", "name", "{registry}")
_SCHEMA = (*_REGISTRY, "schemas", "name", "{schema}")

_ROUTES: tuple[tuple[str, tuple[str, ...], Handler], ...] = (
    ("GET", ("v1", "registries"), list_registries),
    ("POST", _REGISTRY, create_registry),
    ("GET", _REGISTRY, describe_registry),
    ("DELETE", _REGISTRY, delete_registry),
    ("GET", (*_REGISTRY, "schemas"), list_schemas),
    ("POST", _SCHEMA, create_schema),
    ("PUT", _SCHEMA, update_schema),
    ("GET", _SCHEMA, describe_schema),
    ("DELETE", _SCHEMA, delete_schema),
    ("GET", (*_SCHEMA, "versions"), list_schema_versions),
    ("DELETE", (*_SCHEMA, "version", "{version}"), delete_schema_version),
)
