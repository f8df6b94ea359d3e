"""Options shared by several commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from schemagate.modes import Mode, Policy, parse_mode

F = TypeVar("F", bound=Callable[..., Any])

MODE_HELP = (
    "Compatibility mode: backward, forward, full, backward-transitive, forward-transitive, "
    "full-transitive or none (default: full, or the configured mode)."
)


def gate_options(function: F) -> F:
    """Add --mode, --strict/--tolerant, --format and --output."""
    from schemagate.cli.outputs import OUTPUT_HELP

    function = click.option(
        "--output", "outputs", multiple=True, metavar="FORMAT=PATH", help=OUTPUT_HELP
    )(function)
    function = click.option(
        "--format",
        "output_format",
        default="text",
        show_default=True,
        help="Output format: text, json, markdown, github, sarif or junit.",
    )(function)
    function = policy_option(function)
    function = click.option("--mode", "mode_name", default=None, help=MODE_HELP)(function)
    return function


def policy_option(function: F) -> F:
    """Add --strict/--tolerant, which overrides the configured policy."""
    return click.option(
        "--strict/--tolerant",
        "strict",
        default=None,
        help="Compare exact sets of instances, or use the tolerant-reader policy "
        "(default: the configured policy, else tolerant).",
    )(function)


def resolve_mode(name: str | None, default: Mode) -> Mode:
    return parse_mode(name) if name is not None else default


def resolve_policy(strict: bool | None, default: Policy) -> Policy:
    if strict is None:
        return default
    return Policy.STRICT if strict else Policy.TOLERANT


def use_color() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything non-empty."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


# The settings file option every command that reads settings takes.
config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Settings file (default: nearest schemagate.toml or pyproject.toml).",
)
