"""Read schema documents from files and registry versions."""

from schemagate.load.document import SchemaDocument, load_file, load_text

__all__ = ["SchemaDocument", "load_file", "load_text"]
