"""Derive consumer contracts from routing: the rules of an event bus, and optionally the
filters of the EventBridge Pipes that read from those rules' targets.

Each rule target is one consumer, named after the target's resource (the queue, the
function, the state machine). A pipe whose source is a rule target (an SQS queue or a
Kinesis stream) is a consumer of its own, named after the pipe's target. Its filter
patterns match the queue record, so the record's `body` (SQS) or `data` (Kinesis)
member is read as the event.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from schemagate.contracts.model import CONSUMER_NAME, Contract, ContractField, EventNeeds
from schemagate.contracts.patterns import PatternReading, read_pattern
from schemagate.errors import InputError, RegistryError

logger = logging.getLogger(__name__)

# Members of a pipe source record that hold the event itself.
RECORD_BODIES = ("body", "data")


@dataclass(frozen=True)
class Route:
    """One consumer's view of the events: which pattern selects them, and from where."""

    consumer: str
    origin: str
    reading: PatternReading


def discover_contracts(
    bus: str, events_client: Any, pipes_client: Any | None = None
) -> list[Contract]:
    """Read the rules of `bus` (and pipes, with a pipes client) and derive one contract per
    consumer, sorted by consumer name."""
    routes, rule_targets = _rule_routes(bus, events_client)
    if pipes_client is not None:
        routes.extend(_pipe_routes(bus, pipes_client, rule_targets))
    return _contracts(routes, bus)


def _rule_routes(bus: str, client: Any) -> tuple[list[Route], dict[str, list[PatternReading]]]:
    routes = []
    by_target: dict[str, list[PatternReading]] = {}
    for rule in _pages(client, "list_rules", "Rules", bus, EventBusName=bus):
        text = rule.get("EventPattern")
        if not text:
            logger.debug("rule %s has no event pattern (a schedule?); skipped", rule["Name"])
            continue
        origin = f"rule {bus}/{rule['Name']}"
        reading = read_pattern(_json(text, origin), origin)
        targets = _pages(
            client, "list_targets_by_rule", "Targets", bus, Rule=rule["Name"], EventBusName=bus
        )
        for target in targets:
            consumer = consumer_name(target["Arn"], target.get("Id", ""))
            routes.append(Route(consumer, origin, reading))
            by_target.setdefault(target["Arn"], []).append(reading)
    return routes, by_target


def _pipe_routes(
    bus: str, client: Any, rule_targets: dict[str, list[PatternReading]]
) -> Iterator[Route]:
    for summary in _pages(client, "list_pipes", "Pipes", bus):
        upstream = rule_targets.get(summary.get("Source", ""))
        if not upstream:
            continue
        with _translated(f"pipes of bus {bus}", "DescribePipe"):
            pipe = client.describe_pipe(Name=summary["Name"])
        consumer = consumer_name(pipe.get("Target", ""), pipe["Name"])
        criteria = pipe.get("SourceParameters", {}).get("FilterCriteria", {})
        origin = f"pipe {pipe['Name']}"
        selectors = tuple(dict.fromkeys(s for r in upstream for s in r.selectors))
        for item in criteria.get("Filters", []):
            pattern = _json(item.get("Pattern", "{}"), origin)
            body = next(
                (pattern[k] for k in RECORD_BODIES if isinstance(pattern.get(k), dict)), None
            )
            if body is None:
                logger.debug("%s filter matches no event member; skipped", origin)
                continue
            reading = read_pattern(body, origin)
            if reading.selectors == ("*",):
                reading = PatternReading(selectors, reading.fields)
            yield Route(consumer, origin, reading)


def _contracts(routes: list[Route], bus: str) -> list[Contract]:
    grouped: dict[str, dict[str, dict[str, ContractField]]] = {}
    for route in routes:
        events = grouped.setdefault(route.consumer, {})
        for selector in route.reading.selectors:
            fields = events.setdefault(selector, {})
            for item in route.reading.fields:
                fields.setdefault(item.path.pointer, item)
    contracts = []
    for consumer in sorted(grouped):
        needs = tuple(
            EventNeeds(selector, tuple(fields[p] for p in sorted(fields)))
            for selector, fields in sorted(grouped[consumer].items())
            if fields
        )
        if not needs:
            logger.info("consumer %s matches on no event fields; no contract", consumer)
            continue
        description = f"Derived by schemagate contract discover from the routing of bus {bus}."
        contracts.append(Contract(consumer, needs, source=f"bus {bus}", description=description))
    return contracts


def consumer_name(arn: str, fallback: str) -> str:
    """Name a consumer after the resource an ARN names, such as a queue or function name."""
    resource = arn.split(":", 5)[5] if arn.count(":") >= 5 else ""
    if resource.startswith("function:"):
        name = resource.split(":")[1]
    else:
        name = re.split(r"[:/]", resource)[-1] if resource else ""
    name = re.sub(r"[^A-Za-z0-9._-]", "-", name or fallback).strip("-.")[:100]
    if not CONSUMER_NAME.match(name):
        raise InputError(f"cannot name the consumer of target {arn!r}; give the target an Id")
    return name


def _json(text: str, origin: str) -> dict[str, Any]:
    try:
        pattern = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{origin}: event pattern is not JSON ({exc.msg})") from None
    if not isinstance(pattern, dict):
        raise InputError(f"{origin}: event pattern is not a JSON object")
    return pattern


def _pages(client: Any, operation: str, key: str, bus: str, **params: Any) -> list[Any]:
    """Collect every page of a list call, following NextToken."""
    items: list[Any] = []
    token: str | None = None
    with _translated(f"bus {bus}", operation):
        while True:
            extra = {"NextToken": token} if token else {}
            page = getattr(client, operation)(**params, **extra)
            items.extend(page.get(key, []))
            token = page.get("NextToken")
            if not token:
                return items


@contextmanager
def _translated(what: str, operation: str) -> Iterator[None]:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        if error.get("Code") == "ResourceNotFoundException":
            raise InputError(
                f"{what}: {str(error.get('Message') or 'not found').rstrip('.')}; check the "
                "name and the region"
            ) from None
        raise RegistryError(
            what, operation, f"{error.get('Code')}: {error.get('Message')}"
        ) from None
    except BotoCoreError as exc:
        raise RegistryError(what, operation, str(exc)) from None


def events_client() -> Any:
    """Create an `events` client from the standard AWS configuration."""
    return _client("events")


def pipes_client() -> Any:
    """Create a `pipes` client from the standard AWS configuration."""
    return _client("pipes")


def _client(service: str) -> Any:
    from botocore.exceptions import NoRegionError

    session = _session()
    # botocore 1.44 does not read AWS_REGION, which the other AWS SDKs read, so it
    # applies when botocore finds no region of its own.
    region = None if session.region_name else os.environ.get("AWS_REGION") or None
    with _translated(service, "create client"):
        try:
            return session.client(service, config=_config(), region_name=region)
        except NoRegionError:
            raise InputError(
                f"{service} client: no AWS region configured; set AWS_REGION or AWS_DEFAULT_REGION"
            ) from None


def _session() -> Any:
    # Imported here because importing boto3 takes about 200 ms. A session of its own,
    # because the default session caches credentials for the whole process.
    import boto3

    return boto3.session.Session()


def _config() -> Any:
    from botocore.config import Config

    from schemagate import __version__

    return Config(
        retries={"mode": "standard", "total_max_attempts": 3},
        connect_timeout=5,
        read_timeout=30,
        user_agent_extra=f"schemagate/{__version__}",
    )
