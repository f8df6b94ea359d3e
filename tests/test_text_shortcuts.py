"""What is read from a document's JSON text agrees with what a walk of its schemas finds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schemagate.errors import DocumentError
from schemagate.load import load_text
from schemagate.load.document import SchemaDocument
from schemagate.load.source import EXACT_NUMBER_LIMIT, parse_source
from schemagate.resolve import refs
from schemagate.resolve.keywords import REFERENCE_KEYWORDS
from schemagate.resolve.refs import Resolver, keywords_of
from tests.support import corpus_dir

HERE = Path(__file__).resolve().parent
SEARCHED = frozenset({"pattern", "patternProperties", "multipleOf", "$id", "id", "$schema"})


def documents() -> list[SchemaDocument]:
    found = []
    for path in sorted((HERE / "cases").glob("*/*/*.json")):
        if path.name == "expected.json":
            continue
        try:
            found.append(load_text(path.read_text("utf-8"), str(path)))
        except DocumentError:
            continue
    return found


def walked_index(document: SchemaDocument) -> Any:
    nodes = refs._walk_document(document.kind, document.data)
    return refs._index(nodes, document.dialect)


def test_text_index_covers_walked_index() -> None:
    # A flag read from the text may be set where the walk leaves it clear, never the
    # other way round.
    checked = 0
    closed = 0
    for document in documents():
        text = document.text
        if "\\u" in text or any(key in text for key in REFERENCE_KEYWORDS):
            continue
        walked = walked_index(document)
        read = refs._text_index(document.text, document.dialect)
        assert read.refs == walked.refs == []
        assert read.closed >= walked.closed, document.source
        assert read.nullable >= walked.nullable, document.source
        assert read.absolute_ids >= walked.absolute_ids, document.source
        checked += 1
        closed += walked.closed
    assert checked > 100
    assert closed > 5


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ('{"properties": {"a": {"type": "object", "additionalProperties" :false}}}', "closed"),
        ('{"properties": {"a": {"unevaluatedProperties":\n false}}}', "closed"),
        ('{"properties": {"a": {"type": "string", "nullable":  true}}}', "nullable"),
        ('{"id": "https://example.com/a.json", "type": "object"}', "absolute_ids"),
    ],
    ids=["closed-spaced", "unevaluated-on-two-lines", "nullable-spaced", "absolute-id"],
)
def test_text_index_finds_spaced_flags(text: str, flag: str) -> None:
    index = refs._text_index(text, load_text(text, "a.json").dialect)
    assert getattr(index, flag)


def test_reference_free_resolver_reads_text() -> None:
    member = '{"type": "object", "additionalProperties": false}'
    text = f'{{"type": "object", "properties": {{"a": {member}}}}}'
    resolver = Resolver(load_text(text, "a.json"))
    assert resolver.view_edits == (True, False)
    assert resolver.references == []


def test_text_keywords_cover_walked_keywords() -> None:
    checked = 0
    for document in documents():
        read = keywords_of(document, SEARCHED)
        walked = refs._walked_keywords(document)
        assert read.names >= walked.names & SEARCHED, document.source
        assert read.formats >= walked.formats, document.source
        assert read.nested_ids >= walked.nested_ids, document.source
        checked += 1
    assert checked > 200


def test_text_keywords_cover_eventbridge_corpus() -> None:
    for path in sorted(corpus_dir("eventbridge").glob("*.json")):
        document = load_text(path.read_text("utf-8"), str(path))
        read = keywords_of(document, SEARCHED)
        walked = refs._walked_keywords(document)
        assert read.names >= walked.names & SEARCHED, path.name
        assert read.formats >= walked.formats, path.name
        assert read.nested_ids >= walked.nested_ids, path.name


@pytest.mark.parametrize(
    ("schema", "nested"),
    [
        ({"properties": {"id": {"type": "string"}}}, False),
        ({"id": "https://example.com/a.json", "properties": {"id": {"type": "string"}}}, False),
        ({"properties": {"a": {"id": "other.json", "type": "string"}}}, True),
        ({"properties": {"a": {"$id": "other.json"}}}, True),
        ({"properties": {"a": {"$schema": "http://json-schema.org/draft-04/schema#"}}}, True),
    ],
    ids=["member-named-id", "root-id", "nested-id", "nested-dollar-id", "nested-schema"],
)
def test_nested_ids_found_in_text(schema: dict[str, Any], nested: bool) -> None:
    document = load_text(json.dumps(schema), "a.json")
    assert keywords_of(document, SEARCHED).nested_ids is nested


def test_escaped_format_is_walked() -> None:
    text = '{"properties": {"a": {"type": "string", "format": "date\\/time"}}}'
    document = load_text(text, "a.json")
    assert keywords_of(document, SEARCHED).formats == {"date/time"}


@pytest.mark.parametrize(
    ("text", "exact"),
    [
        ('{"maximum": 9007199254740992}', True),
        ('{"maximum": 9007199254740993}', False),
        ('{"maximum": -9007199254740993}', False),
        ('{"enum": [1e300]}', False),
        ('{"enum": [0.1, 123456789012345]}', True),
        ("maximum: 9007199254740993\n", False),
        ("maximum: 12\n", True),
    ],
    ids=[
        "limit",
        "past-limit",
        "negative-past-limit",
        "large-float",
        "plain",
        "yaml-past",
        "yaml",
    ],
)
def test_parser_tells_exact_numbers(text: str, exact: bool) -> None:
    parsed = parse_source(text, "a.json", yaml_hint=text[0] != "{")
    assert parsed.exact_numbers is exact
    assert parsed.json is (text[0] == "{")


def test_exact_number_limit_is_two_to_the_53() -> None:
    assert float(EXACT_NUMBER_LIMIT) == EXACT_NUMBER_LIMIT
    assert float(EXACT_NUMBER_LIMIT + 1) != EXACT_NUMBER_LIMIT + 1
