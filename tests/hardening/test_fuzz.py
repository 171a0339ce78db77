"""Property (issue 13): any mutated scenario file is accepted or a user error, never a crash.

The mutants (:mod:`benchmarks.mutants`) edit text and structure and put in hostile values:
deep nesting, alias and merge-key bombs, huge and tiny numbers, control characters,
formula-like text, ``extends``/``factor_set`` references out of reach. The longer run of
10,000 mutants is ``python -m benchmarks.fuzz``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.mutants import classify, mutant


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_mutant_is_accepted_or_rejected_never_uncaught(seed: int) -> None:
    outcome, detail = classify(seed)
    assert outcome in ("accepted", "rejected"), f"seed {seed}: {detail}"


def test_mutants_are_reproducible_and_varied() -> None:
    assert mutant(7) == mutant(7)
    outcomes = {classify(seed)[0] for seed in range(40)}
    assert outcomes == {"accepted", "rejected"}  # the fuzzer reaches both, so it can fail
