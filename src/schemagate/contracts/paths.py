"""Field paths into an event: JSON pointers (`/detail/total`) or dotted paths (`detail.total`).

Paths start at the event envelope, as EventBridge event patterns and input paths do.
`*` in a pointer, and `[]` after a name in a dotted path, step into the items of an
array. A name that is itself an array also steps into its items, because EventBridge
matches a pattern against every element of an array.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Token for "any item of an array".
ITEMS = "*"
_DOTTED_TOKEN = re.compile(r"^(?P<name>[^.\[\]]+)(?P<items>(\[\d*\])*)$")


@dataclass(frozen=True)
class FieldPath:
    """A parsed path: `tokens` are property names or ITEMS; `text` is the spelling given."""

    tokens: tuple[str, ...]
    text: str

    @property
    def pointer(self) -> str:
        """The path as a JSON pointer, `*` standing for any array item."""
        return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in self.tokens)

    def __str__(self) -> str:
        return self.pointer


def parse_field_path(text: str) -> FieldPath:
    """Parse a JSON pointer or dotted path; raise ValueError with the fix when invalid."""
    stripped = text.strip()
    if stripped.startswith("/"):
        tokens = tuple(
            raw.replace("~1", "/").replace("~0", "~") for raw in stripped[1:].split("/")
        )
        if any(token == "" for token in tokens):
            raise ValueError(f"path {text!r} has an empty segment; remove the doubled '/'")
        return FieldPath(tokens, text)
    dotted = stripped.removeprefix("$.")
    if not dotted:
        raise ValueError(f"path {text!r} is empty; name a field such as detail.orderId")
    tokens_list: list[str] = []
    for part in dotted.split("."):
        found = _DOTTED_TOKEN.match(part)
        if found is None:
            raise ValueError(
                f"path {text!r} has an invalid segment {part!r}; write names separated "
                "by '.', with '[]' for array items, or use a JSON pointer such as /detail/a.b"
            )
        tokens_list.append(found["name"])
        tokens_list.extend(ITEMS for _ in range(found["items"].count("[")))
    return FieldPath(tuple(tokens_list), text)


def path_from_tokens(tokens: tuple[str, ...]) -> FieldPath:
    """Build a path from tokens, spelled as a JSON pointer."""
    path = FieldPath(tokens, "")
    return FieldPath(tokens, path.pointer)
