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
        reporter = get_reporter(name.strip().lower())
        if path != "-":
            _check_writable(spec, Path(path))
        outputs.append((reporter, path))
    return outputs


def _check_writable(spec: str, path: Path) -> None:
    """Raise InputError when `path` is a folder or lies under a file."""
    if path.is_dir():
        raise InputError(
            f"invalid --output {spec!r}: {path} is a folder; name a file in it, "
            f"for example {path / 'schemagate-report'}"
        )
    # Missing folders are created when the report is written, so only an existing
    # ancestor that is not a folder can stop the write.
    for ancestor in path.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise InputError(
                    f"invalid --output {spec!r}: {ancestor} is a file, not a folder; "
                    "choose another path"
                )
            return


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
