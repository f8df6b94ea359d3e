"""Compatibility gate for Amazon EventBridge schemas."""

__version__ = "0.1.0"
