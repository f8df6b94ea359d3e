"""HTTP front of the emulator: a threading server that passes requests to the Api.

Every request flows through a chain of middlewares before it reaches the Api. A
middleware receives the request and the next step, and it may return its own reply,
delay the reply or rewrite it. Throttling, server errors, latency, stale reads and
truncated pages can be injected there without changing the operation handlers.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from schemagate.emulator.api import Api
from schemagate.emulator.model import ServiceError
from schemagate.emulator.store import Store
from schemagate.emulator.wire import DEFAULT_PAGE_SIZE, Request, Response, error_response

logger = logging.getLogger("schemagate.emulator")

Next = Callable[[Request], Response]
Middleware = Callable[[Request, Next], Response]


class Application:
    """The Api wrapped in middlewares. The first middleware in the list runs first."""

    def __init__(self, api: Api, middlewares: Sequence[Middleware] = ()) -> None:
        handle: Next = api.handle
        for middleware in reversed(middlewares):
            handle = _chain(middleware, handle)
        self.handle = handle


def _chain(middleware: Middleware, next_step: Next) -> Next:
    def step(request: Request) -> Response:
        return middleware(request, next_step)

    return step


class EmulatorServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that serves one Application."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], application: Application) -> None:
        super().__init__(address, _RequestHandler)
        self.application = application

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log a client that hung up (after a timeout of its own) in one line."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            logger.debug("client %s closed the connection early: %s", client_address, error)
            return
        logger.exception("request from %s failed in the emulator", client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host_text = host.decode() if isinstance(host, bytes | bytearray) else str(host)
        # A wildcard address accepts connections but cannot be connected to.
        host_text = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host_text, host_text)
        if ":" in host_text:
            host_text = f"[{host_text}]"
        return f"http://{host_text}:{port}"


def create_server(
    host: str = "127.0.0.1",
    port: int = 0,
    db: str = ":memory:",
    page_size: int = DEFAULT_PAGE_SIZE,
    middlewares: Sequence[Middleware] = (),
) -> tuple[EmulatorServer, Store]:
    """Bind a server on `host`:`port` (0 picks a free port) over a Store at `db`."""
    store = Store(db)
    application = Application(Api(store, page_size), middlewares)
    try:
        server = EmulatorServer((host, port), application)
    except OSError:
        store.close()
        raise
    return server, store


class _RequestHandler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps botocore's pooled connections open, which needs a Content-Length
    # on every reply.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes, and with Nagle's algorithm on, the
    # client's delayed ACK adds about 40 ms (on Linux) to every reply on a kept-alive
    # connection.
    disable_nagle_algorithm = True
    server: EmulatorServer

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            # Split before decoding, because a schema name may contain an encoded "/".
            segments=tuple(unquote(part) for part in parts.path.split("/") if part),
            query={key: values[-1] for key, values in parse_qs(parts.query).items()},
            body=body,
        )
        try:
            response = self.server.application.handle(request)
        except Exception:
            logger.exception("%s %s failed inside the emulator", self.command, parts.path)
            response = error_response(
                ServiceError(500, "InternalServerErrorException", "Internal emulator error.")
            )
        self._send(response)

    def _send(self, response: Response) -> None:
        payload = b"" if response.body is None else json.dumps(response.body).encode()
        self.send_response(response.status)
        if response.body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if response.truncated:
            # The declared length stays, so the client sees the connection end early.
            self.wfile.write(payload[: len(payload) // 2])
            self.close_connection = True
            return
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        # Only the request line and status are logged, because the headers carry the signature.
        logger.debug("%s " + format, self.address_string(), *args)
