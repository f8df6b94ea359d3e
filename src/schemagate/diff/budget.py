"""A bound on comparison work, so that pathological documents end in `unproven`.

Pairing union branches by meaning compares every old branch with every new one, and
nested unions, `$ref` chains and recursion multiply that work. Every schema pair the
walk compares and every candidate instance the example builder tries spends one unit.
A comparison that runs out stops and reports an `unproven` finding instead of hanging.
"""

from __future__ import annotations

from dataclasses import dataclass

# Units of work one document pair may spend. The 200-property and 20-branch pairs in
# bench/engine.py spend under 1,000 units, while a pathological pair of nested `oneOf`
# definitions reaches the bound in about a second on a loaded 2-core machine.
DEFAULT_WORK_LIMIT = 10_000


class WorkLimitExceeded(Exception):
    """The comparison spent its whole work budget."""


@dataclass
class WorkBudget:
    """Units of comparison work left for one document pair."""

    limit: int = DEFAULT_WORK_LIMIT
    spent: int = 0

    def spend(self, units: int = 1) -> None:
        self.spent += units
        if self.spent > self.limit:
            raise WorkLimitExceeded(f"comparison work exceeded {self.limit} units")
