"""Lint rules for event schemas: idempotency keys, event identity, empty details, names."""
