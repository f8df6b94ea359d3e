"""Typed errors that the command line turns into one-line messages and exit codes."""

from __future__ import annotations

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_USAGE = 2
EXIT_REGISTRY = 3
# A defect in schemagate itself, never the user's input.
EXIT_INTERNAL = 4


class SchemagateError(Exception):
    """Base class for errors that end a command with a message and no traceback."""

    exit_code = EXIT_USAGE


class InputError(SchemagateError):
    """A file, option or document the user supplied is invalid."""

    exit_code = EXIT_USAGE


class DocumentError(InputError):
    """A schema document cannot be read, parsed or resolved."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class ConfigError(InputError):
    """The `[tool.schemagate]` table or `schemagate.toml` is invalid."""


class RegistryError(SchemagateError):
    """A registry could not be read or written: network, credentials, throttling or service."""

    exit_code = EXIT_REGISTRY

    def __init__(self, registry: str, operation: str, problem: str) -> None:
        super().__init__(f"registry {registry}: {operation} failed: {problem}")
        self.registry = registry
        self.operation = operation
        self.problem = problem


class ConflictError(RegistryError):
    """Another writer changed a schema between the gate's read and its write."""


def unwritable(out: object, error: OSError) -> InputError:
    """Describe an output folder the command could not write, with what to do instead."""
    reason = error.strerror or type(error).__name__
    return InputError(f"cannot write to {out} ({reason}); choose another --out folder")
