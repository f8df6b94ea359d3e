"""Bindings for every real schema in the EventBridge corpus, checked in fresh interpreters."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from schemagate.codegen import build_package, write_package
from schemagate.codegen.sources import file_inputs
from tests.support import EVENTBRIDGE, ROOT, corpus_dir, corpus_params, reader_validator

CASES = ROOT / "tests" / "codegen_cases"
PROBE = CASES / "probe.py"
SAMPLES: dict[str, Any] = json.loads((CASES / "corpus_samples.json").read_text(encoding="utf-8"))
NAIVE_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
CORPUS_FILES = sorted(p.name for p in EVENTBRIDGE.glob("*.json")) if EVENTBRIDGE.is_dir() else []
# Parameters of the per-file tests: the file names, or one skipped parameter saying why.
CORPUS_PARAMS = [p.name if isinstance(p, Path) else p for p in corpus_params("eventbridge")]


@pytest.fixture(scope="module")
def corpus_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = corpus_dir("eventbridge")
    files = sorted(folder.glob("*.json"))
    inputs = file_inputs(files, {}, folder)
    out = tmp_path_factory.mktemp("bindings") / "corpus_events"
    generated = build_package(inputs)
    write_package(out, generated)
    modules = {item.name: Path(_module_file(generated, item.name)).stem for item in inputs}
    return out, modules


def _module_file(generated: dict[str, str], schema: str) -> str:
    lock = json.loads(generated["schemagate-codegen.lock"])
    return next(name for name, entry in lock["files"].items() if entry.get("schema") == schema)


def mutate(event: Any, change: dict[str, Any]) -> Any:
    """Apply one `remove` or `set` at a JSON pointer to a copy of the event."""
    result = copy.deepcopy(event)
    pointer = change.get("remove") or change["set"]
    *parents, last = pointer.lstrip("/").split("/")
    node = result
    for token in parents:
        node = node[int(token)] if isinstance(node, list) else node[token]
    if "remove" in change:
        del node[last]
    else:
        node[int(last) if isinstance(node, list) else last] = change["value"]
    return result


def with_offsets(value: Any) -> Any:
    """Add `Z` to offset-less timestamps, which the bindings accept as EventBridge sends
    them but RFC 3339 (and so the independent validator) rejects."""
    if isinstance(value, dict):
        return {key: with_offsets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_offsets(item) for item in value]
    if isinstance(value, str) and NAIVE_TIMESTAMP.fullmatch(value):
        return value + "Z"
    return value


def probe(out: Path, module: str, schema: str, valid: list[Any], invalid: list[Any]) -> Any:
    events = json.dumps({"valid": valid, "invalid": invalid})
    command = [sys.executable, "-W", "error", str(PROBE), str(out.parent), out.name]
    command += [module, schema]
    completed = subprocess.run(command, input=events, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_samples_cover_every_corpus_schema() -> None:
    corpus_dir("eventbridge")
    assert sorted(SAMPLES) == CORPUS_FILES


@pytest.mark.parametrize("file_name", CORPUS_PARAMS)
def test_corpus_sample_agrees_with_schema(file_name: str) -> None:
    document = json.loads((corpus_dir("eventbridge") / file_name).read_text(encoding="utf-8"))
    validator = reader_validator(document, tolerant=True)
    sample = SAMPLES[file_name]
    assert validator.is_valid(with_offsets(sample["event"])), file_name
    for change in sample["invalid"]:
        assert not validator.is_valid(with_offsets(mutate(sample["event"], change))), change


@pytest.mark.parametrize("file_name", CORPUS_PARAMS)
def test_corpus_module_validates_events(
    corpus_package: tuple[Path, dict[str, str]], file_name: str
) -> None:
    out, modules = corpus_package
    schema = Path(file_name).stem
    sample = SAMPLES[file_name]
    invalid = [mutate(sample["event"], change) for change in sample["invalid"]]
    report = probe(out, modules[schema], schema, [sample["event"]], invalid)

    assert report["module_has_model"]
    assert report["valid"][0]["ok"], report["valid"][0]
    assert report["valid"][0]["round_trip"], report["valid"][0]["dumped"]
    for change, result in zip(sample["invalid"], report["invalid"], strict=True):
        assert not result["ok"], f"accepted after {change}"


def test_corpus_events_route_to_their_schema(corpus_package: tuple[Path, dict[str, str]]) -> None:
    out, modules = corpus_package
    name = "aws-sam-cli__partner-mongodb-TicketCreated.openapi3"
    event = SAMPLES[f"{name}.json"]["event"]
    unknown = {**event, "source": "com.example.unknown"}
    report = probe(out, modules[name], name, [event, unknown], [])

    assert report["routed"] == [name, None]
