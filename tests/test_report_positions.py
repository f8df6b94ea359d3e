"""Line numbers for JSON pointers in JSON and YAML schema files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from schemagate.load.positions import locate

JSON_TEXT = """{
  "type": "object",
  "properties": {
    "a/b": {
      "type": "string"
    },
    "list": {
      "enum": [
        "x",
        "y"
      ]
    }
  }
}
"""
YAML_TEXT = """# comment line
type: object
properties:
  a/b:
    type: string
  list:
    enum:
      - x
      - y
"""


@pytest.fixture(params=[("schema.json", JSON_TEXT), ("schema.yaml", YAML_TEXT)])
def schema_file(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    name, text = request.param
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, text


def line_containing(text: str, fragment: str) -> int:
    """Return the first line holding `fragment` as a whole word."""
    word = re.compile(rf"(?<!\w){re.escape(fragment)}(?!\w)")
    return next(i for i, line in enumerate(text.splitlines(), 1) if word.search(line))


@pytest.mark.parametrize(
    ("pointer", "fragment"),
    [
        ("/properties/a~1b", "a/b"),
        ("#/properties/a~1b/type", "string"),
        ("/properties/list/enum/1", "y"),
        ("/properties/list/removed/deeper", "list"),
    ],
)
def test_pointer_maps_to_its_line(
    schema_file: tuple[Path, str], pointer: str, fragment: str
) -> None:
    path, text = schema_file
    assert locate(path, pointer) == line_containing(text, fragment)


def test_rule_keyword_is_preferred(schema_file: tuple[Path, str]) -> None:
    path, text = schema_file
    assert locate(path, "/properties/list", "enum-value-added") == line_containing(text, "enum")


def test_missing_file_has_no_lines(tmp_path: Path) -> None:
    assert locate(tmp_path / "absent.json", "/a") is None


def test_unparsable_file_has_no_lines(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"a": ', encoding="utf-8")
    assert locate(path, "/a") is None


def test_yaml_merge_key_takes_mapping_line(tmp_path: Path) -> None:
    path = tmp_path / "merged.yaml"
    path.write_text(
        "type: object\n"
        "definitions:\n"
        "  money: &money {type: integer, minimum: 0}\n"
        "properties:\n"
        "  shipping:\n"
        "    <<: *money\n"
        "    maximum: 100\n",
        encoding="utf-8",
    )
    assert locate(path, "#/properties/shipping/maximum") == 7
    # `minimum` comes from the merged anchor, so it has the line of the mapping it is in.
    assert locate(path, "#/properties/shipping/minimum") == 6
