"""Fault injection and request counting for the emulator, as server middlewares.

Faults are off unless a `--fault` option names them, so ordinary use stays faithful to
the service. Each fault decision is a pure function of the seed, the request and how
many times the same request was seen before, so a test gets the same faults on every
run, whatever order its threads send requests in.

A fault spec is `KIND[:RATE][@OPERATION]`:

- KIND is `throttle` (429 TooManyRequestsException), `error` (500
  InternalServerErrorException), `unavailable` (503 ServiceUnavailableException),
  `slow` (the reply waits `slow_ms` first), `stale` (DescribeSchema returns the version
  before the one requested, as a lagging replica would) or `truncate` (the reply body
  is cut off halfway and the connection closed).
- RATE is a probability from 0 to 1 (default 1), or `first=N`: the first N attempts of
  every distinct request fail and later attempts succeed.
- OPERATION limits the fault to one API operation, such as `DescribeSchema`.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace

from schemagate.emulator import api
from schemagate.emulator.model import ServiceError
from schemagate.emulator.server import Middleware, Next
from schemagate.emulator.wire import Request, Response, error_response

FAULT_KINDS = ("throttle", "error", "unavailable", "slow", "stale", "truncate")
# Path of the emulator's own request counter; the Schemas API has no path under it.
STATS_SEGMENTS = ("_emulator", "requests")

_SPEC = re.compile(
    r"^(?P<kind>[a-z]+)"
    r"(?::(?:(?P<rate>[01](?:\.\d+)?)|first=(?P<first>\d+)))?"
    r"(?:@(?P<operation>[A-Za-z]+))?$"
)
_ERRORS = {
    "throttle": ServiceError(429, "TooManyRequestsException", "Rate exceeded (injected)."),
    "error": ServiceError(500, "InternalServerErrorException", "Internal error (injected)."),
    "unavailable": ServiceError(
        503, "ServiceUnavailableException", "Service unavailable (injected)."
    ),
}


@dataclass(frozen=True)
class FaultSpec:
    """One parsed `--fault` option."""

    kind: str
    rate: float = 1.0
    first: int | None = None
    operation: str | None = None


def parse_fault(text: str) -> FaultSpec:
    """Parse `KIND[:RATE|:first=N][@OPERATION]`; raises ValueError naming the problem."""
    match = _SPEC.match(text.strip())
    if match is None or match["kind"] not in FAULT_KINDS:
        raise ValueError(
            f"invalid fault {text!r}; use KIND[:RATE|:first=N][@OPERATION] with KIND one of "
            f"{', '.join(FAULT_KINDS)} and RATE from 0 to 1"
        )
    rate = float(match["rate"]) if match["rate"] is not None else 1.0
    if rate > 1:
        raise ValueError(f"invalid fault rate in {text!r}; use a probability from 0 to 1")
    first = int(match["first"]) if match["first"] is not None else None
    return FaultSpec(match["kind"], rate, first, match["operation"])


class RequestCounter:
    """Count requests per operation and serve the counts at GET /_emulator/requests.

    The reply also contains `max_in_flight`, the largest number of requests served at
    the same time. DELETE on the same path resets both. The counter runs before the
    fault middlewares, so it counts every attempt a client makes, including failed ones.
    """

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._in_flight = 0
        self._max_in_flight = 0
        self._lock = threading.Lock()

    def __call__(self, request: Request, next_step: Next) -> Response:
        if request.segments == STATS_SEGMENTS:
            return self._stats(request)
        with self._lock:
            self._counts[api.operation_name(request) or "unknown"] += 1
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
        try:
            return next_step(request)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _stats(self, request: Request) -> Response:
        with self._lock:
            body = {
                "requests": dict(sorted(self._counts.items())),
                "max_in_flight": self._max_in_flight,
            }
            if request.method == "DELETE":
                self._counts.clear()
                self._max_in_flight = self._in_flight
        return Response(200, body)


class FaultInjector:
    """Apply fault specs to requests, deterministically for a given seed."""

    def __init__(self, specs: list[FaultSpec], seed: int = 0, slow_ms: int = 5000) -> None:
        self.specs = specs
        self.seed = seed
        self.slow_ms = slow_ms
        self._attempts: Counter[tuple[str, ...]] = Counter()
        self._lock = threading.Lock()

    def __call__(self, request: Request, next_step: Next) -> Response:
        operation = api.operation_name(request)
        query = sorted(f"{name}={value}" for name, value in request.query.items())
        key = (request.method, *request.segments, *query)
        with self._lock:
            attempt = self._attempts[key]
            self._attempts[key] += 1
        for spec in self.specs:
            if spec.operation not in (None, operation):
                continue
            if not self._fires(spec, key, attempt):
                continue
            if spec.kind in _ERRORS:
                return error_response(_ERRORS[spec.kind])
            if spec.kind == "slow":
                time.sleep(self.slow_ms / 1000)
            elif spec.kind == "stale" and operation == "DescribeSchema":
                return _stale_describe(request, next_step)
            elif spec.kind == "truncate":
                return replace(next_step(request), truncated=True)
        return next_step(request)

    def _fires(self, spec: FaultSpec, key: tuple[str, ...], attempt: int) -> bool:
        if spec.first is not None:
            return attempt < spec.first
        if spec.rate >= 1:
            return True
        digest = hashlib.sha256(repr((self.seed, spec, key, attempt)).encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < spec.rate


def _stale_describe(request: Request, next_step: Next) -> Response:
    """Answer with the version before the requested one, dated as that version was."""
    current = next_step(request)
    if current.status != 200 or current.body is None:
        return current
    number = int(current.body["SchemaVersion"])
    if number <= 1:
        return current
    older_query = {**request.query, "schemaVersion": str(number - 1)}
    older = next_step(replace(request, query=older_query))
    if older.status != 200 or older.body is None:
        return current
    body = {**older.body, "LastModified": older.body["VersionCreatedDate"]}
    return replace(older, body=body)


class Latency:
    """Delay every reply by a fixed number of milliseconds, like a distant endpoint."""

    def __init__(self, milliseconds: int) -> None:
        self.seconds = milliseconds / 1000

    def __call__(self, request: Request, next_step: Next) -> Response:
        time.sleep(self.seconds)
        return next_step(request)


def build_middlewares(
    faults: list[FaultSpec], seed: int = 0, latency_ms: int = 0, slow_ms: int = 5000
) -> list[Middleware]:
    """Build the middleware chain: the counter first, then latency, then faults."""
    middlewares: list[Middleware] = [RequestCounter()]
    if latency_ms > 0:
        middlewares.append(Latency(latency_ms))
    if faults:
        middlewares.append(FaultInjector(faults, seed, slow_ms))
    return middlewares
