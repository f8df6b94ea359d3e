"""Run action.yml's steps locally: expressions in `env:` resolved, `run:` scripts in bash.

Only the expression forms that action.yml uses in `env:` are resolved: `inputs.*`,
`github.action_path`, `github.token` and `steps.check.outputs.*`. Any other
expression fails the test, so a new one cannot slip past unresolved.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
FAKE_TOKEN = "ghs_test_token"


def load_action() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe", pure=True).load(ACTION.read_text(encoding="utf-8"))
    return data


def step(step_id_or_name: str) -> dict[str, Any]:
    for candidate in load_action()["runs"]["steps"]:
        if step_id_or_name in (candidate.get("id"), candidate.get("name")):
            return dict(candidate)
    raise AssertionError(f"no step {step_id_or_name!r} in action.yml")


def read_outputs(path: Path) -> dict[str, str]:
    outputs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        outputs[name] = value
    return outputs


@dataclass
class Runner:
    """A fake runner: one workspace, the files GitHub provides, and the Action's inputs."""

    workspace: Path
    temp: Path
    event: dict[str, Any]
    inputs: dict[str, str] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.temp.mkdir(parents=True, exist_ok=True)
        self.output_file = self.temp / "github_output"
        self.summary_file = self.temp / "step_summary"
        self.event_file = self.temp / "event.json"
        self.event_file.write_text(json.dumps(self.event), encoding="utf-8")
        for path in (self.output_file, self.summary_file):
            path.write_text("", encoding="utf-8")

    def input_value(self, name: str) -> str:
        if name in self.inputs:
            return self.inputs[name]
        default = str(load_action()["inputs"][name].get("default", ""))
        return self.resolve(default)

    def evaluate(self, expression: str) -> str:
        if expression.startswith("inputs."):
            return self.input_value(expression.removeprefix("inputs."))
        if expression == "github.action_path":
            return str(ROOT)
        if expression == "github.token":
            return FAKE_TOKEN
        match = re.fullmatch(r"steps\.check\.outputs\.([\w-]+)", expression)
        if match:
            return read_outputs(self.output_file).get(match[1], "")
        raise AssertionError(f"the local runner cannot evaluate ${{{{ {expression} }}}}")

    def resolve(self, text: str) -> str:
        return EXPRESSION.sub(lambda match: self.evaluate(match[1]), text)

    def environment(self, step_env: dict[str, str], path_prefix: str) -> dict[str, str]:
        env = {
            "PATH": f"{path_prefix}:/usr/bin:/bin",
            "HOME": str(self.temp),
            "GITHUB_OUTPUT": str(self.output_file),
            "GITHUB_STEP_SUMMARY": str(self.summary_file),
            "GITHUB_EVENT_PATH": str(self.event_file),
            "GITHUB_REPOSITORY": "example/orders",
            "GITHUB_WORKSPACE": str(self.workspace),
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_ACTIONS": "true",
        }
        env.update(self.extra_env)
        env.update({name: self.resolve(str(value)) for name, value in step_env.items()})
        return env

    def run(
        self, step_name: str, path_prefix: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run one step's script the way GitHub runs `shell: bash`."""
        definition = step(step_name)
        assert definition["shell"] == "bash"
        script = self.temp / f"{step_name}.sh"
        script.write_text(definition["run"], encoding="utf-8")
        prefix = path_prefix or str(Path(sys.executable).parent)
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=self.environment(definition.get("env", {}), prefix),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )


def pull_request_event(
    labels: tuple[str, ...] = (), fork: bool = False, number: int = 7
) -> dict[str, Any]:
    head = "someone/orders" if fork else "example/orders"
    return {
        "action": "synchronize",
        "number": number,
        "pull_request": {
            "number": number,
            "labels": [{"name": label} for label in labels],
            "head": {"repo": {"full_name": head}},
            "base": {"repo": {"full_name": "example/orders"}},
        },
        "repository": {"full_name": "example/orders"},
    }


@dataclass
class FakeGitHub:
    """The issue comments API, kept in memory; `reject_with` makes every request fail."""

    comments: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    reject_with: int | None = None
    next_id: int = 1000

    def handle(self, method: str, path: str, body: bytes, token: str) -> tuple[int, Any]:
        self.requests.append((method, path, token))
        if self.reject_with is not None:
            return self.reject_with, {"message": "Resource not accessible by integration"}
        parsed = urlparse(path)
        match = re.fullmatch(r"/repos/example/orders/issues/(\d+)/comments", parsed.path)
        if match and method == "GET":
            query = parse_qs(parsed.query)
            size = int(query["per_page"][0])
            page = int(query["page"][0])
            return 200, self.comments[(page - 1) * size : page * size]
        if match and method == "POST":
            self.next_id += 1
            comment = {"id": self.next_id, "body": json.loads(body)["body"]}
            self.comments.append(comment)
            return 201, comment
        match = re.fullmatch(r"/repos/example/orders/issues/comments/(\d+)", parsed.path)
        if match and method == "PATCH":
            for comment in self.comments:
                if comment["id"] == int(match[1]):
                    comment["body"] = json.loads(body)["body"]
                    return 200, comment
        return 404, {"message": "Not Found"}


@contextmanager
def serve(github: FakeGitHub) -> Iterator[str]:
    """Serve `github` on a loopback port and yield its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def _respond(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            token = self.headers.get("Authorization", "")
            status, payload = github.handle(self.command, self.path, body, token)
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = _respond

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
