"""Pass markers: empty files in the cache folder that remember an input passed a check.

A marker is keyed by a hash of everything the check read, so a changed input never
matches an old marker. Checks that import jsonschema use them to keep repeated runs
fast; a cache that cannot be read or written only costs the full check. Passes are
also remembered in memory, so a process that loads one input many times looks for its
marker once.
"""

from __future__ import annotations

from pathlib import Path

_PASSED: set[tuple[str, str]] = set()


def _marker(kind: str, fingerprint: str) -> Path:
    from schemagate.registry.cache import default_cache_root

    return default_cache_root() / kind / fingerprint


def passed_before(kind: str, fingerprint: str) -> bool:
    """Tell whether an input with this fingerprint passed the `kind` check before."""
    if (kind, fingerprint) in _PASSED:
        return True
    try:
        found = _marker(kind, fingerprint).is_file()
    except OSError:
        return False
    if found:
        _PASSED.add((kind, fingerprint))
    return found


def remember_pass(kind: str, fingerprint: str) -> None:
    """Record that an input with this fingerprint passed the `kind` check."""
    _PASSED.add((kind, fingerprint))
    marker = _marker(kind, fingerprint)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        return


def forget_passes() -> None:
    """Forget the passes remembered in memory; markers in the cache folder stay.

    Benchmarks call it, with an empty cache folder, to time a first run on new input.
    """
    _PASSED.clear()
