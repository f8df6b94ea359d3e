"""The `schemagate emulator` command: a local EventBridge Schemas endpoint for tests."""

from __future__ import annotations

import ipaddress
import logging
import signal
import sqlite3
import sys
import threading
from pathlib import Path
from types import FrameType

import click

from schemagate.emulator.wire import DEFAULT_PAGE_SIZE
from schemagate.errors import InputError

logger = logging.getLogger("schemagate.emulator")


@click.command(name="emulator")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Only this address is served.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="TCP port to listen on, or 0 to pick a free port.",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="SQLite file that keeps the state across restarts. Without it, state is in memory.",
)
@click.option(
    "--registry",
    "registries",
    multiple=True,
    metavar="NAME",
    help=("Create registry NAME at start-up unless the --db state already has it; repeatable."),
)
@click.option(
    "--page-size",
    type=click.IntRange(min=1),
    default=DEFAULT_PAGE_SIZE,
    show_default=True,
    help="Rows per page of a list call whose request sets no Limit.",
)
@click.option(
    "--fault",
    "fault_texts",
    multiple=True,
    metavar="KIND[:RATE][@OPERATION]",
    help=(
        "Inject a fault, for tests; repeatable. KIND: throttle, error, unavailable, slow, "
        "stale or truncate. RATE: a probability from 0 to 1 (default 1), or first=N to fail "
        "the first N attempts of each request. OPERATION: only that call, e.g. DescribeSchema."
    ),
)
@click.option(
    "--fault-seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed of the fault decisions; the same seed injects the same faults.",
)
@click.option(
    "--latency-ms",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Milliseconds added to every reply.",
)
@click.option(
    "--slow-ms",
    type=click.IntRange(min=0),
    default=5000,
    show_default=True,
    help="Milliseconds a reply waits when the `slow` fault fires.",
)
def command(
    host: str,
    port: int,
    db: str | None,
    registries: tuple[str, ...],
    page_size: int,
    fault_texts: tuple[str, ...],
    fault_seed: int,
    latency_ms: int,
    slow_ms: int,
) -> None:
    """Serve the EventBridge Schemas API subset that schemagate uses.

    Prints the endpoint URL as the first line of standard output, then serves until
    SIGTERM or SIGINT. Point boto3 at it with AWS_ENDPOINT_URL_SCHEMAS=URL.
    GET /_emulator/requests returns the number of requests per operation, and DELETE
    on it resets the counts.
    """
    from schemagate.emulator.faults import build_middlewares, parse_fault
    from schemagate.emulator.server import create_server

    try:
        faults = [parse_fault(text) for text in fault_texts]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--fault") from None
    if "" in registries:
        raise click.BadParameter("the registry name is empty", param_hint="--registry")
    middlewares = build_middlewares(faults, fault_seed, latency_ms, slow_ms)
    try:
        server, store = create_server(host, port, db or ":memory:", page_size, middlewares)
    except OSError as exc:
        raise click.UsageError(
            f"failed to listen on {host}:{port} ({exc}); choose another --host or --port"
        ) from exc
    except sqlite3.Error as exc:
        raise InputError(_database_problem(db or ":memory:", exc)) from None
    if not _loopback(server.server_address[0]):
        click.echo(
            f"warning: serving on {host}, so any machine that reaches this address can read "
            "and change the registry (the emulator has no authentication); use "
            "--host 127.0.0.1 unless that is intended",
            err=True,
        )
    for name in registries:
        if store.ensure_registry(name):
            logger.info("created registry %s", name)

    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="emulator", daemon=True
    )
    thread.start()
    logger.info("emulator serving %s with state in %s", server.url, db or "memory")
    click.echo(server.url)
    sys.stdout.flush()
    try:
        # A timed wait lets the main thread run the signal handler promptly.
        while not stop.wait(0.1):
            pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        store.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        logger.info("emulator on %s stopped", server.url)


def _database_problem(db: str, exc: sqlite3.Error) -> str:
    path = Path(db)
    if not path.parent.is_dir():
        return (
            f"cannot open --db {db}: folder {path.parent} does not exist; create it or "
            "choose a path in an existing folder"
        )
    if path.is_file():
        return (
            f"cannot open --db {db}: {exc}; pass a new file name, or a file that an earlier "
            "`schemagate emulator --db` run wrote"
        )
    return f"cannot open --db {db}: {exc}; check the path and its permissions"


def _loopback(address: str | bytes | bytearray) -> bool:
    text = address.decode() if isinstance(address, bytes | bytearray) else address
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return text == "localhost"
