"""Resolve local `$ref`s and walk the subschemas of a document."""

from schemagate.resolve.refs import Resolver

__all__ = ["Resolver"]
