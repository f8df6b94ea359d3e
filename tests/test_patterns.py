"""`pattern` matching with the `regex` module reads patterns as Python's `re` does."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemagate.diff.patterns import search
from tests.engine_support import strict_backward
from tests.support import reader_validator

# Patterns with brackets inside character classes, which `regex` alone reads as POSIX
# classes or nested sets.
PATTERNS = [
    "^[[:alpha:]]+$",
    "^[[:digit:]-]+$",
    "[^]a]",
    "[]a]",
    r"[\[]",
    r"\[x\]",
    "[[a]",
    "[a[]",
    "x[[.a.]]",
    "[[=a=]]b",
    "(?i)[[:upper:]]",
    "^[a-z]+$",
    # Fuzzy matching in `regex`, text in `re`.
    "^a{s}$",
    "^a{e<=1}$",
    # Character tables that differ outside printable ASCII.
    r"^\w+$",
    r"^\s$",
    r"\B",
    r"\bab\b",
    r"^\d+$",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(PATTERNS),
    st.text(alphabet="abcAB1-:[].=^ph{se}\u00b2\u00e9\u0301\u001c\u0663 ", max_size=8),
)
def test_search_agrees_with_re(pattern: str, text: str) -> None:
    with warnings.catch_warnings():
        # `re` warns that a future version may read `[[` as a nested set.
        warnings.simplefilter("ignore", FutureWarning)
        expected = re.search(pattern, text) is not None
    assert search(pattern, text) is expected


@pytest.mark.parametrize(
    ("new_pattern", "compatible"), [("^[[:alpha:]]+$", True), ("^[a-z]+$", False)]
)
def test_posix_class_witnesses_valid(new_pattern: str, compatible: bool) -> None:
    # `re` reads `^[[:alpha:]]+$` as the set `[:alph` and then `]`, so every string it
    # matches ends in `]`. jsonschema uses `re`, so a witness must be one `re` accepts.
    old = {"type": "object", "properties": {"x": {"type": "string", "pattern": "^[[:alpha:]]+$"}}}
    new = {
        "type": "object",
        "properties": {"x": {"type": "string", "pattern": new_pattern, "minLength": 2}},
    }
    result = strict_backward(old, new)
    # Every string the old pattern matches has two characters or more.
    assert result.compatible is compatible
    assert any(f.witnesses for f in result.findings) is not compatible
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        for finding in result.findings:
            for witness in finding.witnesses:
                source, target = (old, new) if witness.direction == "backward" else (new, old)
                assert reader_validator(source, tolerant=False).is_valid(witness.instance)
                assert not reader_validator(target, tolerant=False).is_valid(witness.instance)


def test_nested_set_warning_stays_off_stderr(tmp_path: Path) -> None:
    # Python's `re` warns about `[[` in a pattern, which users would see on every run.
    import json
    import subprocess
    import sys

    for name, pattern in (("old", "^[[:alpha:]]+$"), ("new", "^[a-z]+$")):
        schema = {"type": "object", "properties": {"x": {"type": "string", "pattern": pattern}}}
        (tmp_path / f"{name}.json").write_text(json.dumps(schema))
    paths = [str(tmp_path / "old.json"), str(tmp_path / "new.json")]
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from schemagate.cli import run; run()",
            "diff",
            "--strict",
            *paths,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"SCHEMAGATE_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 1
    assert completed.stderr == ""
