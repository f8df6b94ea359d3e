"""The workflow run's event payload, read from the file at `GITHUB_EVENT_PATH`."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PullRequest:
    number: int
    labels: frozenset[str]
    # Pull requests from forks get a read-only token, so they cannot be commented on.
    from_fork: bool
    # The commit the pull request's branch is compared with, as the event gives it.
    base_sha: str | None = None


def read_pull_request(event_path: str | None) -> PullRequest | None:
    """Return the pull request the run is for, or None for other events."""
    payload = _read(event_path)
    pull = payload.get("pull_request")
    if not isinstance(pull, dict) or not isinstance(pull.get("number"), int):
        return None
    labels = frozenset(
        label["name"]
        for label in pull.get("labels") or []
        if isinstance(label, dict) and isinstance(label.get("name"), str)
    )
    sha = (pull.get("base") or {}).get("sha")
    base_sha = None if sha is None else str(sha)
    return PullRequest(pull["number"], labels, _from_fork(pull, payload), base_sha)


def _from_fork(pull: dict[str, Any], payload: dict[str, Any]) -> bool:
    head = (pull.get("head") or {}).get("repo") or {}
    base = (pull.get("base") or {}).get("repo") or (payload.get("repository") or {})
    head_name = head.get("full_name")
    # A deleted fork has no head repository; treat it as a fork.
    return head_name is None or head_name != base.get("full_name")


def _read(event_path: str | None) -> dict[str, Any]:
    if not event_path:
        return {}
    try:
        payload = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("cannot read the event payload %s: %s", event_path, exc)
        return {}
    return payload if isinstance(payload, dict) else {}
