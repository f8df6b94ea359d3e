"""Broken and hostile schema files end in exit code 2 with one line, on every command."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from schemagate.cli import main
from schemagate.errors import DocumentError
from schemagate.load.source import MAX_DEPTH, parse_text

HOSTILE = Path(__file__).resolve().parent / "hostile"
ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "examples" / "registered" / "OrderShipped.v1.json"
RUN_CLI = "from schemagate.cli import run; run()"

# (file, words the one-line error must contain besides the file name)
COMMITTED_CASES = [
    ("invalid-json.json", "invalid JSON at line 1"),
    ("prose-in-json.json", "invalid JSON at line 1 column 1"),
    ("invalid-yaml.yaml", "invalid YAML at line"),
    ("duplicate-key.json", "duplicate key 'type'"),
    ("duplicate-key.yaml", "duplicate key"),
    ("non-utf8.json", "not UTF-8: byte 0xff"),
    ("ref-cycle.json", "$ref cycle"),
    ("allof-self-cycle.json", "applies itself again through #/definitions/A/allOf/0"),
    ("dangling-ref.json", "points to nothing"),
    ("dangling-component.json", "points to nothing"),
    ("file-ref-escape.json", "file $ref"),
    ("empty.json", "document is empty"),
    ("top-level-array.json", "top level is an array"),
    ("neither-format.json", "neither an OpenAPI 3 document"),
    ("nan.json", "NaN is not a JSON number"),
    ("openapi-without-components.json", "no components/schemas"),
    ("yaml-tag.yaml", "has no JSON equivalent"),
    ("required-not-array.json", "invalid schema at /required: 'userId' is not of type 'array'"),
    ("invalid-pattern.json", "invalid schema at /pattern: '(unclosed' is not a 'regex'"),
    ("multiple-of-zero.json", "invalid schema at /multipleOf"),
    ("wrong-draft-id.json", "this draft names a schema with 'id', not '$id'"),
    ("anchor-before-2019-09.json", "anchor 'xx' not found; $anchor counts from draft 2019-09"),
    ("unknown-type.json", "'decimal' is not a JSON type; use one of array, boolean"),
    ("unknown-type-in-list.json", "at /properties/n/type/1: 'float' in the type list"),
]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, path: Path, words: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert str(path) in lines[0] or path.name in lines[0]
    assert words in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize(("name", "words"), COMMITTED_CASES, ids=[c[0] for c in COMMITTED_CASES])
def test_diff_rejects_broken_new_file(
    name: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = HOSTILE / name
    code, _, err = run(["diff", str(VALID), str(path)], capsys)
    assert_one_line_error(code, err, path, words)


@pytest.mark.parametrize(("name", "words"), COMMITTED_CASES, ids=[c[0] for c in COMMITTED_CASES])
def test_diff_rejects_broken_old_file(
    name: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = HOSTILE / name
    code, _, err = run(["diff", str(path), str(VALID)], capsys)
    assert_one_line_error(code, err, path, words)


@pytest.mark.parametrize(("name", "words"), COMMITTED_CASES, ids=[c[0] for c in COMMITTED_CASES])
def test_check_rejects_broken_local_file(
    name: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = HOSTILE / name
    code, _, err = run(["check", str(path), "--registry", f"dir:{ROOT / 'snapshot'}"], capsys)
    assert_one_line_error(code, err, path, words)


def test_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "absent.json"
    code, _, err = run(["diff", str(VALID), str(path)], capsys)
    assert_one_line_error(code, err, path, "file not found")


def test_folder_instead_of_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["diff", str(VALID), str(tmp_path)], capsys)
    assert_one_line_error(code, err, tmp_path, "folder")


def test_unreadable_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.json"
    path.write_text("{}")
    real_read = Path.read_bytes

    def deny(self: Path) -> bytes:
        # Root reads files whatever their mode, so the denial is simulated.
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    code, _, err = run(["diff", str(VALID), str(path)], capsys)
    assert_one_line_error(code, err, path, "cannot read file (Permission denied)")


def test_oversized_document_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.json"
    properties = ", ".join(f'"p{i}": {{"type": "string"}}' for i in range(5000))
    path.write_text(f'{{"type": "object", "properties": {{{properties}}}}}')
    assert len(path.read_text()) > 100_000
    code, _, err = run(["diff", str(VALID), str(path)], capsys)
    assert_one_line_error(code, err, path, "over the registry's limit of 100,000")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("long.json", '{"type": "integer", "maximum": ' + "9" * 5000 + "}"),
        ("long.yaml", "type: integer\nmaximum: " + "9" * 5000 + "\n"),
    ],
    ids=["json", "yaml"],
)
def test_overlong_number_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    code, _, err = run(["diff", str(VALID), str(path)], capsys)
    assert_one_line_error(code, err, path, "at most 4,300 digits")


def test_superscript_index_reference_dangling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "²" passes `str.isdigit`, yet `int` rejects it, so it is no array index.
    path = tmp_path / "superscript.json"
    schema = {"items": [{}], "properties": {"a": {"$ref": "#/items/\u00b2"}}}
    path.write_text(json.dumps(schema))
    code, _, err = run(["diff", str(VALID), str(path)], capsys)
    assert_one_line_error(code, err, path, "points to nothing")


def test_yaml_date_named_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text("type: string\ndefault: 2024-01-01\n")
    code, _, err = run(["diff", str(VALID), str(path)], capsys)
    assert_one_line_error(code, err, path, "value 2024-01-01 of YAML type date")


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_nesting_limit_boundary(opening: str) -> None:
    # Text with too few brackets to nest past the limit is not walked. The first depth
    # past it is rejected with as few brackets as such text can have.
    closing = "]" if opening == "[" else "}"
    inner = "[]" if opening == "[" else "{}"
    deepest = opening * MAX_DEPTH + inner + closing * MAX_DEPTH
    parse_text(deepest, "deepest.json")
    with pytest.raises(DocumentError, match="nesting deeper than"):
        parse_text(opening + deepest + closing, "deeper.json")


def generated_bombs(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    deep = tmp_path / "deep.json"
    deep.write_text('{"a":' * 10_000 + "1" + "}" * 10_000)
    yield deep, "nesting deeper than"
    moderately_deep = tmp_path / "moderately-deep.json"
    moderately_deep.write_text('{"not":' * 500 + "{}" + "}" * 500)
    yield moderately_deep, "nesting deeper than"
    bomb = tmp_path / "bomb.yaml"
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 9):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    lines.append("type: object")
    bomb.write_text("\n".join(lines) + "\n")
    yield bomb, "expands to over"
    deep_yaml = tmp_path / "deep.yaml"
    deep_yaml.write_text("[" * 5_000 + "]" * 5_000 + "\n")
    yield deep_yaml, "nesting deeper than"


def _limit_memory() -> None:
    one_gib = 1 << 30
    resource.setrlimit(resource.RLIMIT_AS, (2 * one_gib, 2 * one_gib))


def test_bombs_fail_fast_in_bounded_memory(
    tmp_path: Path, emulator_url: str, registry_name: str
) -> None:
    environment = {**os.environ, "AWS_ENDPOINT_URL_SCHEMAS": emulator_url}
    for path, words in generated_bombs(tmp_path):
        commands = (
            ["diff", str(VALID), str(path)],
            ["check", str(path), "--registry", f"dir:{ROOT / 'snapshot'}"],
            ["publish", str(path), "--registry", f"eventbridge:{registry_name}", "--dry-run"],
            ["codegen", str(path), "--out", str(tmp_path / "bindings")],
        )
        for argv in commands:
            completed = subprocess.run(
                [sys.executable, "-c", RUN_CLI, *argv],
                capture_output=True,
                text=True,
                timeout=60,
                preexec_fn=_limit_memory,
                check=False,
                env=environment,
            )
            assert_one_line_error(completed.returncode, completed.stderr, path, words)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"type": "integer"}, {"type": "string", "minLength": 10**9}),
        ({"type": "string", "maxLength": 2 * 10**9}, {"type": "string", "maxLength": 10**9}),
        ({"type": "array", "minItems": 10**8}, {"type": "array", "minItems": 10**8 + 1}),
        (
            {"type": "string", "pattern": "^a{100000000}$"},
            {"type": "string", "pattern": "^a{100000001}$"},
        ),
        (
            {"type": "string", "pattern": "^((a{4000}){4000}){4000}$"},
            {"type": "string", "pattern": "^((a{4000}){4000}){4001}$"},
        ),
    ],
    ids=["min-length", "max-length", "min-items", "pattern-count", "nested-pattern-counts"],
)
def test_huge_bounds_stay_unproven(
    tmp_path: Path, old: dict[str, object], new: dict[str, object]
) -> None:
    # A witness at such a bound would need gigabytes, so the change is left unproven.
    paths = []
    for name, member in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"type": "object", "properties": {"a": member}}))
        paths.append(str(path))
    completed = subprocess.run(
        [sys.executable, "-c", RUN_CLI, "diff", *paths, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
        check=False,
    )
    report = json.loads(completed.stdout)
    assert completed.returncode in (0, 1), completed.stderr
    assert any(f["rule"] == "unproven" for f in report["findings"])


class ConnectionCounter:
    """A loopback listener that counts connection attempts and serves nothing."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


def test_remote_ref_is_never_fetched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listener = ConnectionCounter()
    try:
        path = tmp_path / "remote.json"
        url = f"http://127.0.0.1:{listener.port}/definitions.json#/Order"
        path.write_text(f'{{"type": "object", "properties": {{"a": {{"$ref": "{url}"}}}}}}')
        for argv in (
            ["diff", str(VALID), str(path)],
            ["diff", str(path), str(path)],
            ["check", str(path), "--registry", f"dir:{ROOT / 'snapshot'}"],
        ):
            code, _, err = run(argv, capsys)
            assert_one_line_error(code, err, path, "remote $ref")
    finally:
        listener.close()
    assert listener.connections == 0


@pytest.mark.parametrize(("name", "words"), COMMITTED_CASES, ids=[c[0] for c in COMMITTED_CASES])
def test_publish_dry_run_rejects_broken_file(
    name: str,
    words: str,
    registry_name: str,
    emulator_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SCHEMAS", emulator_url)
    path = HOSTILE / name
    code, _, err = run(
        ["publish", str(path), "--registry", f"eventbridge:{registry_name}", "--dry-run"], capsys
    )
    assert_one_line_error(code, err, path, words)


@pytest.mark.parametrize(("name", "words"), COMMITTED_CASES, ids=[c[0] for c in COMMITTED_CASES])
def test_codegen_rejects_broken_file(
    name: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = HOSTILE / name
    out = tmp_path / "bindings"
    code, _, err = run(["codegen", str(path), "--out", str(out)], capsys)
    assert_one_line_error(code, err, path, words)
    assert not out.exists()
