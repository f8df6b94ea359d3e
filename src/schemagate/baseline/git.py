"""`git:REF`: compare local schema files with the same files at a git ref.

The baseline reads each file with `git show REF:./PATH`, run as an argument list and
never through a shell, so a ref or a path cannot inject commands. It satisfies the
`Registry` protocol with one version per schema: the file at the ref, labelled with the
ref. A file absent at the ref is looked for under another path of the same schema name
(renamed from `.json` to `.yaml`, or moved to another folder); a schema with no such
file there has no previous version.
"""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

from schemagate.errors import InputError
from schemagate.registry.base import SchemaSummary, SchemaVersion

logger = logging.getLogger(__name__)

GIT_SCHEME = "git:"


def parse_git_uri(uri: str) -> str | None:
    """Return the ref of a `git:REF` baseline, or None when `uri` names something else."""
    if not uri.startswith(GIT_SCHEME):
        return None
    ref = uri[len(GIT_SCHEME) :]
    if not ref or ref.startswith("-"):
        raise InputError(f"invalid baseline {uri!r}; use git:REF, for example git:origin/main")
    return ref


class GitBaseline:
    """The schema files of a working tree as they were at `ref`."""

    def __init__(
        self,
        ref: str,
        files: Mapping[str, Path],
        name_of: Callable[[Path], str] = lambda path: path.stem,
    ) -> None:
        # `name_of` gives the schema name of a file, to find one renamed since `ref`.
        self.ref = ref
        self._files = dict(files)
        self._name_of = name_of
        self._contents: dict[str, str | None] = {}
        self._elsewhere: dict[Path, dict[str, list[str]]] = {}
        folders = {path.resolve().parent for path in self._files.values()}
        # Before a branch's first commit HEAD names no commit, and every file is new.
        self._unborn: set[Path] = set()
        for folder in sorted(folders):
            if ref == "HEAD" and _head_unborn(folder):
                self._unborn.add(folder)
                continue
            _verify_ref(ref, folder)

    @property
    def uri(self) -> str:
        return f"{GIT_SCHEME}{self.ref}"

    def list_schemas(self) -> list[SchemaSummary]:
        return [
            SchemaSummary(name, 1)
            for name in sorted(self._files)
            if self._content(name) is not None
        ]

    def list_versions(self, name: str) -> list[str]:
        return [self.ref] if self._content(name) is not None else []

    def get_version(self, name: str, version: str | None = None) -> SchemaVersion | None:
        content = self._content(name)
        if content is None or version not in (None, self.ref):
            return None
        return SchemaVersion(name, self.ref, _schema_type(content), content)

    def _content(self, name: str) -> str | None:
        if name not in self._contents:
            path = self._files.get(name)
            if path is None or path.resolve().parent in self._unborn:
                self._contents[name] = None
            else:
                self._contents[name] = _show(self.ref, path)
                if self._contents[name] is None:
                    self._contents[name] = self._renamed(name, path)
        return self._contents[name]

    def _renamed(self, name: str, path: Path) -> str | None:
        """Return the text at the ref of the one other file with the schema's name (or the
        one in the file's folder)."""
        folder = path.resolve().parent
        root = _git(["rev-parse", "--show-toplevel"], folder).stdout.decode().strip()
        if not root:
            return None
        top = Path(root)
        if top not in self._elsewhere:
            self._elsewhere[top] = self._names_at_ref(top)
        found = self._elsewhere[top].get(name, [])
        # Of several, one in the file's own folder is the one renamed.
        beside = [f for f in found if (top / f).parent == folder]
        found = beside if len(found) > 1 and len(beside) == 1 else found
        if len(found) != 1:
            if found:
                logger.warning(
                    "%s: not at %s, and %d files there have its name (%s), so it is "
                    "treated as a new schema",
                    path,
                    self.ref,
                    len(found),
                    ", ".join(found[:3]),
                )
            return None
        logger.info("%s: compared with %s, its path at %s", path, found[0], self.ref)
        return _show(self.ref, top / found[0], root=top)

    def _names_at_ref(self, top: Path) -> dict[str, list[str]]:
        """Map schema names to the schema files at the ref that are not local files now."""
        from schemagate.load.document import SCHEMA_SUFFIXES

        listed = _git(["ls-tree", "-r", "--name-only", "-z", "--end-of-options", self.ref], top)
        local = {p.resolve() for p in self._files.values()}
        names: dict[str, list[str]] = {}
        for raw in listed.stdout.split(b"\0"):
            relative = raw.decode("utf-8", errors="replace")
            if PurePosixPath(relative).suffix.lower() not in SCHEMA_SUFFIXES:
                continue
            candidate = top / relative
            if candidate.resolve() in local:
                continue
            names.setdefault(self._name_of(candidate), []).append(relative)
        return names


def file_at(ref: str, path: Path) -> str | None:
    """Return the text of the file at `path` as it is at `ref`, or None where it was absent."""
    return _show(ref, path)


def deleted_files(
    ref: str, folders: Iterable[Path], local_names: Iterable[str], name_of: Callable[[Path], str]
) -> list[tuple[str, str]]:
    """Return (schema name, path) of each schema file under `folders` at `ref` whose
    schema name no local file has: the schemas deleted since `ref`.

    A file renamed or moved keeps its schema name, so it is not deleted. Paths are
    relative to the repository's top folder, as git writes them.
    """
    from schemagate.load.document import SCHEMA_SUFFIXES

    local = set(local_names)
    found: dict[str, str] = {}
    for folder in folders:
        # git runs in the nearest folder that still exists.
        present = folder.absolute()
        while not present.is_dir():
            present = present.parent
        if ref == "HEAD" and _head_unborn(present):
            # Before a branch's first commit there is nothing to delete.
            continue
        _verify_ref(ref, present)
        root = _git(["rev-parse", "--show-toplevel"], present).stdout.decode().strip()
        top = Path(root)
        try:
            inside = folder.resolve().relative_to(top.resolve()).as_posix()
        except ValueError:
            # A link to a folder outside the repository: git has none of its files.
            continue
        # Literal pathspecs, so that a folder named like `:(top)x` is read as written.
        listed = _git(
            [
                "--literal-pathspecs",
                "ls-tree",
                "-r",
                "--name-only",
                "-z",
                "--end-of-options",
                ref,
                "--",
                inside,
            ],
            top,
        )
        for raw in listed.stdout.split(b"\0"):
            relative = raw.decode("utf-8", errors="replace")
            if not relative or PurePosixPath(relative).suffix.lower() not in SCHEMA_SUFFIXES:
                continue
            name = name_of(top / relative)
            if name not in local:
                found.setdefault(name, relative)
    return sorted(found.items())


def _schema_type(content: str) -> str:
    return "OpenApi3" if "openapi" in content[:2000] else "JSONSchemaDraft4"


def _git(args: list[str], folder: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError("git is not installed; install git or compare with a registry") from None


def _head_unborn(folder: Path) -> bool:
    """Tell whether HEAD of the repository around `folder` names a branch with no commit
    yet: a new repository, or an orphan branch."""
    inside = _git(["rev-parse", "--is-inside-work-tree"], folder)
    if inside.returncode != 0:
        return False
    if _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], folder).returncode == 0:
        return False
    return _git(["symbolic-ref", "--quiet", "HEAD"], folder).returncode == 0


def _verify_ref(ref: str, folder: Path) -> None:
    inside = _git(["rev-parse", "--is-inside-work-tree"], folder)
    if inside.returncode != 0:
        raise InputError(f"{folder} is not inside a git repository; git:{ref} needs one")
    found = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], folder
    )
    if found.returncode == 0:
        return
    shallow = _git(["rev-parse", "--is-shallow-repository"], folder).stdout.strip() == b"true"
    if shallow:
        raise InputError(
            f"git ref {ref!r} not found in this shallow clone; {_fetch_hint(ref)} or check "
            "out with full history (actions/checkout with fetch-depth: 0)"
        )
    raise InputError(
        f"git ref {ref!r} not found; fetch it or name an existing branch, tag or commit"
    )


def _fetch_hint(ref: str) -> str:
    """Return how to bring `ref` into a shallow clone, with the git command that does it.

    A ref relative to another (`HEAD~2`, `main^`) needs more history, not a fetch of its
    name. A commit is fetched by its hash, and a branch or tag name into a ref of the same
    name, where `git:NAME` then finds it.
    """
    if any(mark in ref for mark in ("~", "^", "@{")):
        return "fetch more history first (git fetch --deepen=50, or git fetch --unshallow)"
    if _COMMIT_HASH.fullmatch(ref):
        return f"fetch it first (git fetch --depth=1 origin {ref})"
    branch = ref.removeprefix("origin/")
    if branch != ref:
        return f"fetch it first (git fetch --depth=1 origin {branch}:refs/remotes/{ref})"
    return f"fetch it first (git fetch --depth=1 origin {ref}:{ref})"


# An abbreviated or full commit hash.
_COMMIT_HASH = re.compile(r"[0-9a-fA-F]{7,40}")


def _show(ref: str, path: Path, root: Path | None = None) -> str | None:
    """Return the file's text at `ref`, or None when the file did not exist there.

    With `root`, the repository's top folder, `path` is read by its path from there.
    """
    if root is None:
        folder = path.resolve().parent
        result = _git(["show", f"{ref}:./{path.name}"], folder)
    else:
        relative = path.relative_to(root).as_posix()
        result = _git(["show", f"{ref}:{relative}"], root)
    if result.returncode != 0:
        logger.debug("%s absent at %s: %s", path, ref, result.stderr.decode(errors="replace"))
        return None
    try:
        return result.stdout.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            f"{path} at git:{ref} is not UTF-8; the baseline cannot be read"
        ) from None
