"""A bound on comparison work, so that pathological documents end in `unproven`.

Pairing union branches by meaning compares every old branch with every new one, and
nested unions, `$ref` chains and recursion multiply that work. Every schema pair the
walk compares and every candidate instance the example builder tries spends one unit;
a comparison that runs out stops and reports an `unproven` finding instead of hanging.
"""

from __future__ import annotations

from dataclasses import dataclass

# Units of work one document pair may spend. A pair of 200-property schemas spends
# about 1,000; the bound leaves room for large real documents while keeping the worst
# case near a second.
DEFAULT_WORK_LIMIT = 50_000


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
