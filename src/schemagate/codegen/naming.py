"""Python names for generated classes and modules, stable across runs and documents.

A name depends only on the original name and on the names it collides with: adding an
unrelated component never renames a class. When several originals map to one name, an
original that already is that name keeps it and the others get a suffix derived from a
hash of their original spelling, so the outcome does not depend on reading order.
"""

from __future__ import annotations

import hashlib
import keyword
import re
from collections.abc import Callable, Iterable

# Names the generated modules import or that pydantic and typing define; a class with
# one of these names would shadow the import it needs.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Annotated",
        "Any",
        "AnyUrl",
        "AwareDatetime",
        "BaseModel",
        "ConfigDict",
        "Enum",
        "Field",
        "Literal",
        "Optional",
        "RootModel",
        "Union",
        "UUID",
        "annotations",
        "date",
        "datetime",
        "time",
        "timedelta",
    }
)
# Names the package's `__init__.py` defines; a module with one of these names would be
# hidden by them.
RESERVED_MODULE_NAMES = frozenset({"parse_event", "models", "routes", "unknown_event_error"})

_WORD_SPLIT = re.compile(r"[^0-9A-Za-z]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def short_hash(text: str) -> str:
    """Return six hex digits of the SHA-256 of `text`: a stable suffix for a collision."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def class_base_name(original: str) -> str:
    """Turn any component name into a PascalCase identifier, before collision handling."""
    words = [word for word in _WORD_SPLIT.split(original) if word]
    name = "".join(word[0].upper() + word[1:] for word in words)
    if not name:
        return "Schema"
    if name[0].isdigit():
        name = "Schema" + name
    if name in RESERVED_CLASS_NAMES or keyword.iskeyword(name):
        name += "Model"
    return name


# Module file names stay well under the 255-byte limit of common file systems.
MAX_MODULE_NAME = 120


def module_base_name(original: str) -> str:
    """Turn a schema name into a snake_case module name, before collision handling."""
    spaced = _CAMEL_BOUNDARY.sub("_", original)
    words = [word.lower() for word in _WORD_SPLIT.split(spaced) if word]
    name = "_".join(words)
    if not name:
        return "schema"
    if name[0].isdigit():
        name = "schema_" + name
    if name in RESERVED_MODULE_NAMES or keyword.iskeyword(name):
        name += "_schema"
    if len(name) > MAX_MODULE_NAME:
        # A file name must fit the file system; a hash keeps cut names apart.
        digest = hashlib.sha256(original.encode("utf-8")).hexdigest()[:12]
        name = f"{name[: MAX_MODULE_NAME - 13].rstrip('_')}_{digest}"
    return name


def assign_class_names(originals: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """Map each original component name to a unique class name.

    `taken` lists names that are already in use (they never change), such as a root
    class name chosen beforehand.
    """
    return _assign(originals, class_base_name, set(taken), separator="")


def assign_module_names(originals: Iterable[str]) -> dict[str, str]:
    """Map each schema name to a unique module name."""
    return _assign(originals, module_base_name, set(), separator="_")


def _assign(
    originals: Iterable[str], convert: Callable[[str], str], taken: set[str], separator: str
) -> dict[str, str]:
    groups: dict[str, list[str]] = {}
    for original in sorted(set(originals)):
        groups.setdefault(convert(original), []).append(original)
    result: dict[str, str] = {}
    for name, members in sorted(groups.items()):
        if len(members) == 1 and name not in taken:
            result[members[0]] = name
            continue
        for original in members:
            exact = original == name and name not in taken
            result[original] = name if exact else f"{name}{separator}{short_hash(original)}"
    return result
