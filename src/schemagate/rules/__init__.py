"""The rule catalogue: every finding schemagate reports comes from one of these rules."""

from schemagate.rules.catalogue import RULES, Rule, Severity, get_rule

__all__ = ["RULES", "Rule", "Severity", "get_rule"]
