"""Keep one pull request comment with the gate's report, updated in place on each run.

The comment is found by the hidden marker that starts its body. Requests go to
`GITHUB_API_URL` with the standard library's urllib only, so tests point it at a
loopback server. Pull requests from forks get a read-only token. For them, and
whenever the API rejects the token, the report stays in the job summary and the step
still succeeds, because a missing comment must not fail the gate.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from schemagate.ci.event import read_pull_request
from schemagate.report.markdown import COMMENT_MARKER

logger = logging.getLogger(__name__)

# Bodies are cut below GitHub's maximum comment length, an estimated 65,536 characters.
MAX_BODY_CHARS = 65_000
PAGE_SIZE = 100
TIMEOUT_SECONDS = 30


class CommentError(Exception):
    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status = status


class IssueComments:
    """The comments of one issue or pull request, through the GitHub REST API."""

    def __init__(self, api_url: str, repository: str, number: int, token: str) -> None:
        self.api_url = api_url.rstrip("/")
        self.repository = repository
        self.number = number
        self.token = token

    def find_marked(self) -> int | None:
        """Return the id of the first comment whose body starts with the marker."""
        page = 1
        while True:
            url = (
                f"{self.api_url}/repos/{self.repository}/issues/{self.number}/comments"
                f"?per_page={PAGE_SIZE}&page={page}"
            )
            comments = self._request("GET", url)
            if not isinstance(comments, list):
                raise CommentError(None, f"unexpected comment list from {url}")
            for comment in comments:
                if str(comment.get("body", "")).startswith(COMMENT_MARKER):
                    return int(comment["id"])
            if len(comments) < PAGE_SIZE:
                return None
            page += 1

    def upsert(self, body: str) -> str:
        """Update the marked comment, or create it; return "updated" or "created"."""
        existing = self.find_marked()
        if existing is not None:
            url = f"{self.api_url}/repos/{self.repository}/issues/comments/{existing}"
            self._request("PATCH", url, {"body": body})
            return "updated"
        url = f"{self.api_url}/repos/{self.repository}/issues/{self.number}/comments"
        self._request("POST", url, {"body": body})
        return "created"

    def _request(self, method: str, url: str, payload: dict[str, Any] | None = None) -> Any:
        data = json.dumps(payload).encode("utf-8") if payload is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/vnd.github+json")
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("X-GitHub-Api-Version", "2022-11-28")
        request.add_header("User-Agent", "schemagate")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise CommentError(exc.code, f"{method} {url} failed: HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise CommentError(None, f"{method} {url} failed: {exc}") from None


def comment_body(summary: str) -> str:
    body = f"{COMMENT_MARKER}\n{summary}"
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS] + "\n\n(report cut; the job summary has all of it)\n"
    return body


def main(environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    pull = read_pull_request(environ.get("GITHUB_EVENT_PATH"))
    if pull is None:
        print("schemagate: not a pull request, so no comment")
        return 0
    if pull.from_fork:
        _note(environ, "the pull request comes from a fork, whose token is read-only")
        return 0
    token = environ.get("GITHUB_TOKEN", "")
    repository = environ.get("GITHUB_REPOSITORY", "")
    summary_path = environ.get("SCHEMAGATE_SUMMARY_PATH", "")
    if not token or not repository or not summary_path:
        _note(environ, "GITHUB_TOKEN, GITHUB_REPOSITORY or the summary path is missing")
        return 0
    summary = Path(summary_path).read_text(encoding="utf-8")
    api_url = environ.get("GITHUB_API_URL", "https://api.github.com")
    comments = IssueComments(api_url, repository, pull.number, token)
    try:
        action = comments.upsert(comment_body(summary))
    except CommentError as exc:
        reason = "the token may not write comments" if exc.status in (401, 403, 404) else ""
        print(f"::warning title=schemagate comment::{exc}")
        _note(environ, reason or str(exc))
        return 0
    print(f"schemagate: {action} the report comment on pull request #{pull.number}")
    return 0


def _note(environ: Mapping[str, str], reason: str) -> None:
    """Say in the job summary why no comment was written; the report is already there."""
    print(f"schemagate: no pull request comment: {reason}")
    target = environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as stream:
            stream.write(f"\n_No pull request comment: {reason}. The report is above._\n")


if __name__ == "__main__":
    sys.exit(main())
