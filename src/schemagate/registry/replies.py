"""Helpers that read and format botocore replies for the EventBridge registry."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from schemagate.errors import InputError
from schemagate.registry.base import SchemaVersion

READ_TIMEOUT_SECONDS = 30
READ_TIMEOUT_VARIABLE = "SCHEMAGATE_READ_TIMEOUT_SECONDS"
# A key the before-parse hook adds to a successful reply whose body is shorter than its
# Content-Length or is not JSON. botocore 1.44 reads bodies with
# enforce_content_length=False, and its rest-json parser turns such a body into an
# empty result without an error.
TRUNCATED_MARK = "SchemagateTruncatedBody"


def mark_truncated_body(
    response_dict: Mapping[str, Any], customized_response_dict: dict[str, Any], **kwargs: Any
) -> None:
    """Mark a successful reply whose body is cut off or is not JSON."""
    headers = response_dict.get("headers", {})
    body = response_dict.get("body", b"")
    declared = str(headers.get("content-length", ""))
    plain = not headers.get("content-encoding")
    if plain and declared.isascii() and declared.isdigit() and int(declared) != len(body):
        customized_response_dict[TRUNCATED_MARK] = True
        return
    if int(response_dict.get("status_code", 200)) < 300 and body:
        try:
            json.loads(body)
        except ValueError:
            customized_response_dict[TRUNCATED_MARK] = True


def read_timeout() -> float:
    text = os.environ.get(READ_TIMEOUT_VARIABLE)
    if not text:
        return READ_TIMEOUT_SECONDS
    try:
        value = float(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise InputError(
            f"invalid {READ_TIMEOUT_VARIABLE} {text!r}; use a positive number of seconds"
        )
    return value


def arn_account(arn: str) -> str | None:
    """Return the account field of an ARN such as arn:aws:schemas:REGION:ACCOUNT:schema/..."""
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 and parts[4] else None


def schema_version(name: str, response: Mapping[str, Any], content: str) -> SchemaVersion:
    return SchemaVersion(
        name=name,
        version=str(response["SchemaVersion"]),
        type=str(response["Type"]),
        content=content,
        created=timestamp(response.get("VersionCreatedDate")),
        description=response.get("Description"),
    )


def timestamp(value: datetime | None) -> str | None:
    """Format a botocore timestamp as ISO 8601 in UTC, so snapshots do not depend on TZ."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def origin(url: str) -> str:
    """Reduce a request URL to scheme, host and port, leaving out path, query and user info."""
    parts = urlsplit(url)
    if not parts.scheme or parts.hostname is None:
        return "the endpoint"
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    port = "" if parts.port is None else f":{parts.port}"
    return f"{parts.scheme}://{host}{port}"


def one_line(text: str, max_length: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= max_length else line[: max_length - 3] + "..."
