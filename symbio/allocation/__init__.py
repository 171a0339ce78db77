"""The inter-enterprise level: who gains, who pays, and a fair split of the park's savings.

* :func:`allocate` — enterprise accounts, transfer-price settlement, coalition values on
  one persistent HiGHS instance, Shapley value / nucleolus / least core, core check;
* :func:`write_allocation` / :func:`read_allocation` — the allocation directory.
"""

from symbio.allocation.engine import METHODS, Allocation, allocate
from symbio.allocation.output import read_allocation, write_allocation

__all__ = ["METHODS", "Allocation", "allocate", "read_allocation", "write_allocation"]
