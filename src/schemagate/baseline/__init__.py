"""Baselines other than a registry: the schema files at a git ref."""

from schemagate.baseline.git import GitBaseline, deleted_files, file_at, parse_git_uri

__all__ = ["GitBaseline", "deleted_files", "file_at", "parse_git_uri"]
