"""Reporters keyed by output format. Each renders a diff result or a check result to text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from schemagate.errors import InputError
from schemagate.report import github, json_report, junit, markdown, sarif, text
from schemagate.report.model import CheckResult, DiffResult


@dataclass(frozen=True)
class Reporter:
    diff: Callable[[DiffResult, str, bool], str]
    check: Callable[[CheckResult, bool], str]


REPORTERS: dict[str, Reporter] = {
    "text": Reporter(text.render_diff, text.render_check),
    "json": Reporter(json_report.render_diff, json_report.render_check),
    "markdown": Reporter(markdown.render_diff, markdown.render_check),
    "github": Reporter(github.render_diff, github.render_check),
    "sarif": Reporter(sarif.render_diff, sarif.render_check),
    "junit": Reporter(junit.render_diff, junit.render_check),
}

FORMATS = tuple(REPORTERS)


def get_reporter(name: str) -> Reporter:
    """Return the reporter of a format name, in any letter case as --output takes it."""
    try:
        return REPORTERS[name.strip().lower()]
    except KeyError:
        raise InputError(
            f"invalid format {name!r}; use one of: {', '.join(sorted(REPORTERS))}"
        ) from None
