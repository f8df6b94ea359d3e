"""`--output FORMAT=PATH`: write extra reports beside the one printed to standard output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from schemagate.errors import InputError
from schemagate.report.render import Reporter, get_reporter

OUTPUT_HELP = (
    "Also write a report in FORMAT to PATH (repeatable), for example sarif=results.sarif; "
    "PATH - is standard output. An existing file is replaced."
)


def parse_outputs(specs: tuple[str, ...]) -> list[tuple[Reporter, str]]:
    """Check every FORMAT=PATH pair before the gate runs, so a typo costs no time."""
    outputs = []
    for spec in specs:
        name, separator, path = spec.partition("=")
        if not separator or not path:
            raise InputError(
                f"invalid --output {spec!r}; use FORMAT=PATH, for example sarif=results.sarif"
            )
        outputs.append((get_reporter(name.strip().lower()), path))
    return outputs


def write_outputs(outputs: list[tuple[Reporter, str]], render: Callable[[Reporter], str]) -> None:
    for reporter, path in outputs:
        text = render(reporter)
        if path == "-":
            click.echo(text, nl=False)
            continue
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write report to {path} ({exc.strerror})") from None
