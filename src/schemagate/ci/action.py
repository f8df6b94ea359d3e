"""Run `schemagate check` as the Action's check step.

Inputs arrive as `SCHEMAGATE_*` environment variables (set from `with:` by action.yml),
never as shell text. The step prints the report in the requested format and the
annotations to the log, appends a Markdown summary to `$GITHUB_STEP_SUMMARY`, writes
the JSON report and the step outputs, and exits with `check`'s exit code.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import secrets
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from schemagate.ci.event import PullRequest, read_pull_request
from schemagate.errors import EXIT_USAGE

_COMMIT = re.compile(r"[0-9a-f]{40}")


def check_arguments(
    environ: Mapping[str, str],
    report: Path,
    summary: Path,
    log: Path,
    base: str | None = None,
    pull: PullRequest | None = None,
) -> list[str]:
    """Build the `schemagate check` argument list from the Action's inputs, the base
    commit to find deleted schema files from, and the pull request the run is for.

    Standard output gets only the annotations, whose text the `github` format escapes.
    The report in the requested format goes to `log`, which `main` prints with
    workflow commands turned off.
    """
    argv = ["check", *_paths(environ.get("SCHEMAGATE_PATHS", ""))]
    options = {
        "--registry": "SCHEMAGATE_REGISTRY",
        "--mode": "SCHEMAGATE_MODE",
        "--fail-on": "SCHEMAGATE_FAIL_ON",
        "--config": "SCHEMAGATE_CONFIG",
    }
    for option, variable in options.items():
        value = environ.get(variable, "").strip()
        if value:
            argv += [f"{option}={value}"]
    output_format = environ.get("SCHEMAGATE_FORMAT", "").strip() or "text"
    argv += ["--format=github"]
    if output_format != "github":
        argv += [f"--output={output_format}={log}"]
    argv += [f"--output=json={report}", f"--output=markdown={summary}"]
    sarif = environ.get("SCHEMAGATE_SARIF_FILE", "").strip()
    if sarif:
        argv += [f"--output=sarif={sarif}"]
    reason = allow_reason(environ, pull)
    if reason:
        argv += [f"--allow-breaking={reason}"]
    if base:
        argv += [f"--base-ref={base}"]
    return argv


def base_commit(pull: PullRequest | None) -> tuple[str | None, str | None]:
    """Return the pull request's base commit, from which `check` finds deleted schema
    files, or None and the reason they cannot be checked."""
    import subprocess

    if pull is None or pull.base_sha is None:
        return None, None
    sha = pull.base_sha.lower()
    if not _COMMIT.fullmatch(sha):
        return None, (
            f"deleted schema files are not checked: the event's base commit "
            f"{pull.base_sha!r} is not a 40-digit commit SHA"
        )
    try:
        found = subprocess.run(
            ["git", "cat-file", "-e", f"{sha}^{{commit}}"], capture_output=True, check=False
        )
    except FileNotFoundError:
        found = None
    if found is not None and found.returncode == 0:
        return sha, None
    return None, (
        f"deleted schema files are not checked: the base commit {sha} is not a commit in "
        "the checkout; check out with fetch-depth: 0"
    )


def _paths(text: str) -> list[str]:
    """Split the `paths` input: one path per line when it has several lines, so that a
    name may contain spaces, and otherwise paths separated by spaces."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        return lines
    return text.split()


def allow_reason(environ: Mapping[str, str], pull: PullRequest | None) -> str | None:
    """Return why breaks are allowed when the pull request carries the allow label."""
    label = environ.get("SCHEMAGATE_ALLOW_LABEL", "").strip()
    if pull is None or not label or label not in pull.labels:
        return None
    return f"pull request #{pull.number} carries the label {label!r}"


def main(environ: Mapping[str, str] | None = None) -> int:
    from schemagate.cli import main as schemagate_main
    from schemagate.report.github import escape_data

    environ = os.environ if environ is None else environ
    folder = Path(environ.get("RUNNER_TEMP") or tempfile.gettempdir()) / "schemagate"
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "report.json"
    summary = folder / "summary.md"
    log = folder / "report.log"
    for stale in (report, summary, log):
        stale.unlink(missing_ok=True)
    sys.stdout.flush()
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        pull = read_pull_request(environ.get("GITHUB_EVENT_PATH"))
        base, skipped = base_commit(pull)
        if skipped:
            print(f"::warning title=schemagate::{escape_data(skipped)}", flush=True)
        code = schemagate_main(check_arguments(environ, report, summary, log, base, pull))
    sys.stderr.write(errors.getvalue())
    sys.stdout.flush()
    if code >= EXIT_USAGE:
        _report_failure(code, errors.getvalue(), summary)
    elif skipped and summary.is_file():
        with open(summary, "a", encoding="utf-8") as stream:
            stream.write(f"\nNOTE: {skipped}.\n")
    _print_inert(log)
    _append_summary(environ.get("GITHUB_STEP_SUMMARY"), summary)
    _write_outputs(environ.get("GITHUB_OUTPUT"), code, report, summary)
    return code


def _report_failure(code: int, errors: str, summary: Path) -> None:
    """Report that the gate could not run, in an annotation and in the summary.

    The summary replaces the pull request's comment, which would otherwise still show
    the last run's verdict.
    """
    from schemagate.report.github import escape_data

    lines = [line for line in errors.strip().splitlines() if line.strip()]
    reason = lines[-1] if lines else f"schemagate exited with {code}"
    print(f"::error title=schemagate::{escape_data(reason)}", flush=True)
    fence = "````"
    summary.write_text(
        f"## schemagate: the gate could not run\n\nExit code {code}:\n\n"
        f"{fence}\n{reason.replace(fence, '')}\n{fence}\n",
        encoding="utf-8",
    )


def _print_inert(log: Path) -> None:
    """Print the report with workflow commands off, so schema text cannot issue any.

    A pull request controls property names, descriptions and file names, and the
    runner treats a log line that starts with `::` as a command.
    """
    if not log.is_file():
        return
    token = secrets.token_hex(16)
    print(f"::stop-commands::{token}")
    print(log.read_text(encoding="utf-8"), end="")
    print(f"::{token}::", flush=True)


def _append_summary(target: str | None, summary: Path) -> None:
    if target and summary.is_file():
        with open(target, "a", encoding="utf-8") as stream:
            stream.write(summary.read_text(encoding="utf-8") + "\n")


def _write_outputs(target: str | None, code: int, report: Path, summary: Path) -> None:
    blocking = 0
    if report.is_file():
        blocking = int(json.loads(report.read_text(encoding="utf-8")).get("blocking_count", 0))
    outputs = {
        "ok": "true" if code == 0 else "false",
        "breaking-count": str(blocking),
        "report-path": str(report) if report.is_file() else "",
        "summary-path": str(summary) if summary.is_file() else "",
    }
    if not target:
        return
    with open(target, "a", encoding="utf-8") as stream:
        for name, value in outputs.items():
            stream.write(f"{name}={value}\n")


if __name__ == "__main__":
    sys.exit(main())
