"""Generate pydantic v2 consumer bindings from registered or local schemas."""

from schemagate.codegen.package import LOCK_NAME, SchemaInput, build_package
from schemagate.codegen.writer import Difference, WriteResult, compare_package, write_package

__all__ = [
    "LOCK_NAME",
    "Difference",
    "SchemaInput",
    "WriteResult",
    "build_package",
    "compare_package",
    "write_package",
]
