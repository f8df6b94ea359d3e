"""The `schemagate` command line: one error boundary and one verbosity setting."""

from __future__ import annotations

import importlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import click

from schemagate import __version__
from schemagate.errors import EXIT_INTERNAL, EXIT_USAGE, SchemagateError

logger = logging.getLogger("schemagate")


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs.

    `schemagate diff` then never pays for boto3, the emulator or the code generator.
    """

    def __init__(self, *args: Any, lazy_commands: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = self.lazy_commands.get(cmd_name)
        if module_name is None:
            return super().get_command(ctx, cmd_name)
        command = importlib.import_module(module_name).command
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}.command is not a click command")
        return command


# Command name to the module that defines it as `command`.
COMMANDS = {
    "check": "schemagate.cli.check",
    "codegen": "schemagate.cli.codegen",
    "contract": "schemagate.cli.contract",
    "diff": "schemagate.cli.diff",
    "emulator": "schemagate.cli.emulator",
    "lint": "schemagate.cli.lint",
    "publish": "schemagate.cli.publish",
    "pull": "schemagate.cli.pull",
    "rules": "schemagate.cli.rules",
}


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option("-v", "--verbose", count=True, help="Log more; -vv also shows tracebacks.")
@click.option("-q", "--quiet", count=True, help="Log less.")
@click.version_option(__version__, prog_name="schemagate")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: int) -> None:
    """Gate EventBridge schema changes by compatibility mode.

    Exit codes: 0 passed, 1 gate failed, 2 usage error or invalid input,
    3 registry, network or credentials error, 4 internal error (a defect in schemagate).
    """
    level = verbose - quiet
    ctx.ensure_object(dict)
    ctx.obj["verbosity"] = level
    _configure_logging(level)


def _configure_logging(level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.handlers[:] = [handler]
    logger.propagate = False
    if level >= 1:
        logger.setLevel(logging.DEBUG)
    elif level == 0:
        logger.setLevel(logging.WARNING)
    else:
        logger.setLevel(logging.ERROR)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code instead of raising."""
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        result = cli.main(args=args, prog_name="schemagate", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("error: interrupted", err=True)
        return 130
    except click.exceptions.NoSuchOption as exc:
        click.echo(f"error: {_with_placement_hint(exc, args)}", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return EXIT_USAGE
    except SchemagateError as exc:
        if _traceback_requested(args):
            # The traceback comes first, and the exit code stays the documented one.
            traceback.print_exc(file=sys.stderr)
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except Exception as exc:
        if _traceback_requested(args):
            traceback.print_exc(file=sys.stderr)
            return EXIT_INTERNAL
        logger.debug("internal error", exc_info=True)
        click.echo(
            f"error: internal error ({type(exc).__name__}: {exc}); "
            "rerun with -vv for the traceback and report it",
            err=True,
        )
        return EXIT_INTERNAL
    if isinstance(result, int):
        return result
    return 0


def _with_placement_hint(exc: click.exceptions.NoSuchOption, args: list[str]) -> str:
    """Return the error message, with where an option given on the wrong side belongs.

    Verbosity options belong before the command, and a command's options after it.
    """
    message = exc.format_message()
    name = exc.option_name
    letters = set(name.lstrip("-"))
    verbosity = name in ("--verbose", "--quiet") or (
        not name.startswith("--") and bool(letters) and letters <= {"v", "q"}
    )
    path = exc.ctx.command_path.split() if exc.ctx is not None else []
    if verbosity and len(path) >= 2:
        command = " ".join(path[1:])
        return f"{message} {name} goes before the command: schemagate {name} {command} ..."
    if len(path) == 1:
        command_name = next((arg for arg in args if arg in COMMANDS), None)
        if command_name is not None and _has_option(command_name, name):
            return (
                f"{message} {name} is an option of {command_name}; put it after the "
                f"command: schemagate {command_name} {name} ..."
            )
    return message


def _has_option(command_name: str, option: str) -> bool:
    command = importlib.import_module(COMMANDS[command_name]).command
    return any(
        option in (*param.opts, *param.secondary_opts)
        for param in command.params
        if isinstance(param, click.Option)
    )


def _traceback_requested(args: list[str]) -> bool:
    count = 0
    for arg in args:
        if arg == "--verbose":
            count += 1
        elif arg.startswith("-") and not arg.startswith("--") and set(arg[1:]) == {"v"}:
            count += len(arg) - 1
    return count >= 2 or bool(os.environ.get("SCHEMAGATE_TRACEBACK"))


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
