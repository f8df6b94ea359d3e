"""Request parsing and response shapes of the Schemas rest-json protocol."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from schemagate.emulator.model import (
    RegistryRecord,
    SchemaRecord,
    ServiceError,
    VersionRecord,
    bad_request,
    not_found,
)

SCHEMA_TYPES = ("OpenApi3", "JSONSchemaDraft4")
MAX_CONTENT_LENGTH = 100_000
MAX_DESCRIPTION_LENGTH = 256
# NOTE: the botocore model documents no default page size, so 100 is this emulator's choice.
DEFAULT_PAGE_SIZE = 100
REGION = "us-east-1"
ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Request:
    """One HTTP request: path segments already percent-decoded, last value per query key."""

    method: str
    segments: tuple[str, ...]
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Response:
    """One HTTP reply. `truncated` makes the server send half the body, then close."""

    status: int
    body: dict[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    truncated: bool = False


def error_response(error: ServiceError) -> Response:
    """Build the rest-json error reply. botocore reads the error code from `x-amzn-ErrorType`."""
    return Response(
        error.status,
        {"Code": error.code, "Message": error.message},
        {"x-amzn-ErrorType": error.code},
    )


# Request parsing


def json_body(request: Request) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        body = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad_request(f"Request body is not valid JSON: {exc}.") from None
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object.")
    return body


def description(body: Mapping[str, Any]) -> str | None:
    value = body.get("Description")
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION_LENGTH:
        raise bad_request(
            f"Description must be a string of at most {MAX_DESCRIPTION_LENGTH} characters."
        )
    return value


def content(body: Mapping[str, Any], required: bool) -> str | None:
    content = body.get("Content")
    if content is None and not required:
        return None
    if not isinstance(content, str) or not 1 <= len(content) <= MAX_CONTENT_LENGTH:
        raise bad_request(f"Content must be a string of 1 to {MAX_CONTENT_LENGTH} characters.")
    # NOTE: the service is reported to validate the document against its Type. This
    # emulator stores any text, so it accepts schemas that the service may reject.
    return content


def schema_type(body: Mapping[str, Any], required: bool) -> str | None:
    schema_type = body.get("Type")
    if schema_type is None and not required:
        return None
    if schema_type not in SCHEMA_TYPES:
        raise bad_request(f"Type must be one of {', '.join(SCHEMA_TYPES)}, not {schema_type!r}.")
    return str(schema_type)


def tags(body: Mapping[str, Any]) -> dict[str, str]:
    tags = body.get("tags") or {}
    if not isinstance(tags, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in tags.items()
    ):
        raise bad_request("tags must be an object of string keys and string values.")
    return tags


def version_number(text: str | None) -> int | None:
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()):
        raise not_found(f"Version {text} does not exist.")
    return int(text)


def page_limit(request: Request, default: int) -> int:
    text = request.query.get("limit")
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise bad_request(f"limit must be a positive integer, not {text!r}.")
    return int(text)


def encode_token(after: str | int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode()


def decode_token(request: Request) -> Any:
    token = request.query.get("nextToken")
    if token is None:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(token.encode()))["after"]
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        raise bad_request("nextToken is invalid. Start the listing again without it.") from None


def page(key: str, rows: list[dict[str, Any]], after: str | int | None) -> Response:
    body: dict[str, Any] = {key: rows}
    if after is not None:
        body["NextToken"] = encode_token(after)
    return Response(200, body)


# Response shapes


def registry_arn(name: str) -> str:
    return f"arn:aws:schemas:{REGION}:{ACCOUNT}:registry/{name}"


def schema_arn(registry: str, name: str) -> str:
    return f"arn:aws:schemas:{REGION}:{ACCOUNT}:schema/{registry}/{name}"


def registry_body(record: RegistryRecord) -> dict[str, Any]:
    body: dict[str, Any] = {
        "RegistryArn": registry_arn(record.name),
        "RegistryName": record.name,
        "tags": record.tags,
    }
    if record.description is not None:
        body["Description"] = record.description
    return body


def version_body(record: VersionRecord, with_content: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "LastModified": record.last_modified,
        "SchemaArn": schema_arn(record.registry, record.schema),
        "SchemaName": record.schema,
        "SchemaVersion": str(record.number),
        "Type": record.type,
        "VersionCreatedDate": record.created,
        "tags": record.tags,
    }
    if record.description is not None:
        body["Description"] = record.description
    if with_content:
        body["Content"] = record.content
    return body


def schema_summary(record: SchemaRecord) -> dict[str, Any]:
    return {
        "LastModified": record.last_modified,
        "SchemaArn": schema_arn(record.registry, record.name),
        "SchemaName": record.name,
        "VersionCount": record.version_count,
        "tags": record.tags,
    }
