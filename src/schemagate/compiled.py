"""jsonschema-rs, a compiled validator, where its verdict is known to be jsonschema's.

jsonschema-rs is hundreds of times faster than jsonschema on a metaschema. It is used
two ways:

- as a first check whose "valid" is trusted and whose "invalid" is not (metaschemas and
  settings): whatever it rejects, or cannot read, is checked again with jsonschema,
  whose verdict is final and whose message describes the error;
- as the validator of witnesses, for documents and instances where both read every
  keyword alike (`schemagate.diff.proof` checks that). Formats are checked by
  jsonschema's own format checker, called from jsonschema-rs.

Its import (about 15 ms) replaces jsonschema's on the start-up of a run that finds
everything valid.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

# The jsonschema-rs validator class of each draft, by dialect name. OpenAPI 3.0 is
# validated as draft 4, after `nullable` became a "null" type.
_DRAFT_CLASSES = {
    "draft4": "Draft4Validator",
    "openapi-3.0": "Draft4Validator",
    "draft6": "Draft6Validator",
    "draft7": "Draft7Validator",
}


def build(schema: Any, formats: dict[str, Any] | None = None) -> Any:
    """Return a jsonschema-rs validator of `schema` that asserts formats, or None where
    none can be built (jsonschema-rs missing or unable to read the schema)."""
    try:
        import jsonschema_rs

        return jsonschema_rs.validator_for(schema, validate_formats=True, formats=formats or {})
    except Exception:
        return None


def accepts(validator: Any, instance: Any) -> bool:
    """Tell whether `validator` (from `build`) finds `instance` valid. Return False when
    it cannot tell, such as for integers past 64 bits."""
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(instance))
    except Exception:
        return False


def witness_validator(schema: Any, dialect: str, format_names: Iterable[str]) -> Any:
    """Return a jsonschema-rs validator of `schema` under `dialect`, or None where none
    can be built: a dialect without a class here, jsonschema-rs missing, or a schema it
    cannot read. References are never fetched.

    The caller makes sure the schema uses only keywords both validators read alike.
    Each format in `format_names` is checked by the dialect's `format_checker`, which
    accepts any value of a format it does not check, as jsonschema does.
    """
    class_name = _DRAFT_CLASSES.get(dialect)
    if class_name is None:
        return None
    try:
        import jsonschema_rs

        cls = getattr(jsonschema_rs, class_name)
        formats = {name: functools.partial(_conforms, dialect, name) for name in format_names}
        return cls(schema, validate_formats=True, formats=formats, retriever=_reject_fetch)
    except Exception:
        return None


def has_witness_class(dialect: str) -> bool:
    """Tell whether `witness_validator` can build a validator under `dialect`."""
    return dialect in _DRAFT_CLASSES


# jsonschema's validator class of each dialect, whose format checker lists the formats
# that draft defines. OpenAPI 3.0 is read as draft 4.
_JSONSCHEMA_CLASSES = {
    "draft4": "Draft4Validator",
    "openapi-3.0": "Draft4Validator",
    "draft6": "Draft6Validator",
    "draft7": "Draft7Validator",
    "2019-09": "Draft201909Validator",
    "2020-12": "Draft202012Validator",
}
# Formats that generated bindings parse under every draft (`datetime`, `date` and `time`
# fields). They count also where the draft lacks them: draft 4, which OpenAPI 3.0
# documents are read with, has no `date`, and OpenAPI 3.0 defines it.
BINDING_FORMATS = frozenset({"date-time", "date", "time"})


@functools.cache
def format_checker(dialect: str) -> Any:
    """Return jsonschema's checker of the formats that count under `dialect`: those its
    draft defines and jsonschema can check, and the formats bindings parse.

    Each format is checked as the draft's own checker does, and a binding format the
    draft lacks as draft 7 does. jsonschema's table of every format is no base: its
    `time` is draft 3's `%H:%M:%S`, which rejects `10:30:00Z`.
    """
    import jsonschema

    draft = getattr(jsonschema, _JSONSCHEMA_CLASSES[dialect]).FORMAT_CHECKER.checkers
    later = jsonschema.Draft7Validator.FORMAT_CHECKER.checkers
    checker = jsonschema.FormatChecker(formats=())
    bindings = {name: later[name] for name in BINDING_FORMATS if name in later}
    checker.checkers = {**bindings, **draft}
    return checker


# Witnesses of one run repeat the same few format samples, and each check calls back
# into Python from jsonschema-rs, so verdicts are kept. jsonschema-rs passes strings only.
@functools.lru_cache(maxsize=4096)
def _conforms(dialect: str, name: str, value: Any) -> bool:
    return bool(format_checker(dialect).conforms(value, name))


def forget_format_verdicts() -> None:
    """Forget the format verdicts kept in memory. Benchmarks call it to time a run as a
    new process makes it."""
    _conforms.cache_clear()


def _reject_fetch(uri: str) -> Any:
    raise LookupError(f"not fetched: {uri}")
