"""Write a generated package to disk, or compare it with what is there.

schemagate owns exactly the files its lock file lists. It replaces or removes only those,
refuses to overwrite any other file, and reports files it did not write without touching
them. Each file is written to a temporary folder beside the package first and then
renamed into place, so a reader never sees a half-written module.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from schemagate.codegen.package import LOCK_NAME
from schemagate.errors import InputError, unwritable

logger = logging.getLogger(__name__)

# Folders Python and editors create next to modules; never reported as foreign.
_IGNORED_DIRS = frozenset({"__pycache__"})


@dataclass(frozen=True)
class WriteResult:
    """Files a write replaced, kept and removed, and files schemagate did not write."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Difference:
    """One file whose content on disk differs from a fresh generation."""

    name: str
    problem: str


def owned_files(out: Path) -> set[str]:
    """Return the files the lock file in `out` lists as written by schemagate, and the lock."""
    lock_path = out / LOCK_NAME
    try:
        lock = json.loads(lock_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{lock_path}: invalid lock file ({exc}); restore it from git") from None
    files = lock.get("files") if isinstance(lock, dict) else None
    if not isinstance(files, dict) or not all(_plain_name(name) for name in files):
        raise InputError(f"{lock_path}: invalid lock file (bad 'files'); restore it from git")
    return {*files, LOCK_NAME}


def _plain_name(name: object) -> bool:
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and "/" not in name
        and ("\\" not in name)
    )


def edited_files(out: Path) -> list[str]:
    """Return the files the lock lists whose content no longer has the recorded hash."""
    try:
        lock = json.loads((out / LOCK_NAME).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    entries = lock.get("files") if isinstance(lock, dict) else None
    if not isinstance(entries, dict):
        return []
    edited = []
    for name, entry in sorted(entries.items()):
        recorded = entry.get("sha256") if isinstance(entry, dict) else None
        if not _plain_name(name) or not isinstance(recorded, str):
            continue
        try:
            text = (out / name).read_bytes()
        except OSError:
            continue
        if hashlib.sha256(text).hexdigest() != recorded:
            edited.append(name)
    return edited


def present_files(out: Path) -> set[str]:
    """List the files under `out`, relative to it, skipping `__pycache__` folders."""
    if not out.is_dir():
        return set()
    found = set()
    for path in out.rglob("*"):
        relative = path.relative_to(out)
        if path.is_file() and not _IGNORED_DIRS.intersection(relative.parts):
            found.add(relative.as_posix())
    return found


def write_package(out: Path, files: dict[str, str]) -> WriteResult:
    """Write the generated files into `out`, keeping every file schemagate does not own."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; choose another --out")
    owned = owned_files(out)
    present = present_files(out)
    clashes = sorted((set(files) & present) - owned)
    if clashes:
        raise InputError(
            f"{out / clashes[0]}: exists and schemagate did not write it; move it away or "
            "choose another --out"
        )
    stale = sorted((owned & present) - set(files))
    unchanged = sorted(name for name in files if _same(out / name, files[name]))
    changed = sorted(name for name in files if name not in unchanged)
    edited = [n for n in edited_files(out) if n in stale or (n in changed and n != LOCK_NAME)]
    if edited:
        raise InputError(
            f"{out / edited[0]}: edited since schemagate wrote it, so it is not replaced; "
            "move the changes out of the generated package (or delete the file) and run "
            "codegen again"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        _write_files(out, files, changed, stale)
        for name in stale:
            (out / name).unlink()
            logger.info("removed %s", out / name)
    except OSError as exc:
        raise unwritable(out, exc) from None
    foreign = sorted(present - owned - set(files))
    for name in foreign:
        logger.warning("left %s alone: schemagate did not write it", out / name)
    return WriteResult(written=changed, unchanged=unchanged, removed=stale, foreign=foreign)


def _write_files(out: Path, files: dict[str, str], changed: list[str], stale: list[str]) -> None:
    if not changed:
        return
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name in changed:
            (staging / name).write_bytes(files[name].encode("utf-8"))
        if LOCK_NAME in changed:
            # Until the last rename, the lock lists both the old and the new files, so
            # an interrupted write leaves no file that schemagate wrote but does not own.
            interim = _interim_lock(files[LOCK_NAME], stale)
            (staging / ".interim").write_bytes(interim.encode("utf-8"))
            os.replace(staging / ".interim", out / LOCK_NAME)
        for name in changed:
            if name != LOCK_NAME:
                os.replace(staging / name, out / name)
        if LOCK_NAME in changed:
            os.replace(staging / LOCK_NAME, out / LOCK_NAME)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _interim_lock(lock_text: str, stale: list[str]) -> str:
    lock = json.loads(lock_text)
    for name in stale:
        lock["files"].setdefault(name, {"stale": True})
    return json.dumps(lock, indent=2, sort_keys=True) + "\n"


def _same(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def compare_package(out: Path, files: dict[str, str]) -> list[Difference]:
    """List the files whose content on disk differs from `files`, without writing anything."""
    differences = []
    owned = owned_files(out)
    edited = set(edited_files(out))
    for name in sorted(files):
        path = out / name
        if not path.is_file():
            differences.append(Difference(name, "missing"))
        elif name not in owned:
            differences.append(
                Difference(name, "exists and schemagate did not write it; move it away first")
            )
        elif name in edited:
            differences.append(
                Difference(name, "edited since schemagate wrote it; move the changes out first")
            )
        elif not _same(path, files[name]):
            differences.append(Difference(name, "out of date"))
    present = present_files(out)
    for name in sorted((owned & present) - set(files)):
        differences.append(Difference(name, "no longer generated"))
    return differences
