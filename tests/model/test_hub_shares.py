"""The hub shares summed in Python floats equal the numpy element sums they replaced.

``reference_hub_shares`` is :func:`symbio.model.exchange._hub_shares` as first written (each
sum on numpy float64 elements); the same IEEE operations in the same order on Python floats
must give every share and total bit for bit, on random groups (hubs feeding hubs, loops,
hubs with their own supply, zero and tiny amounts, NaN) and on no hub at all.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from symbio.model.exchange import _deliveries, _hub_shares


def reference_hub_shares(links: list, hubs: list[str], local: dict[str, float]) -> tuple:
    hub_at = {h: k for k, h in enumerate(hubs)}
    into = [lk for lk in links if lk[1] in hub_at]
    origins = sorted(
        {*(f for f, *_ in into if f not in hub_at), *(h for h, v in local.items() if v > 0)}
    )
    org_at = {p: k for k, p in enumerate(origins)}
    total = np.zeros(len(hubs))
    for h, v in local.items():
        total[hub_at[h]] += max(v, 0.0)
    for _, to, _, d in into:
        total[hub_at[to]] += d
    scale = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
    a = np.zeros((len(hubs), len(hubs)))
    b = np.zeros((len(hubs), len(origins)))
    for h, v in local.items():
        if v > 0:
            b[hub_at[h], org_at[h]] += v * scale[hub_at[h]]
    for src, to, _, d in into:
        row = hub_at[to]
        if src in hub_at:
            a[row, hub_at[src]] += d * scale[row]
        else:
            b[row, org_at[src]] += d * scale[row]
    shares = np.linalg.lstsq(np.eye(len(hubs)) - a, b, rcond=None)[0] if len(hubs) else b
    return hub_at, origins, shares, total


def _group(rng: random.Random) -> tuple[list, list[str], dict[str, float]]:
    hubs = [f"h{k}" for k in range(rng.randint(0, 4))]
    sites = [f"s{k}" for k in range(rng.randint(1, 5))] + hubs
    amounts = [0.0, 1e-12, 1e-300, 1.0, 1 / 3, 1e9 / 7, 2.5e6, 1e12]
    links = []
    for _ in range(rng.randint(1, 12)):
        f, t = rng.choice(sites), rng.choice(sites)
        a = rng.choice(amounts) if rng.random() < 0.3 else rng.uniform(0, 1e6)
        # what is sent may be NaN; what arrives is a positive number (net_rows keeps d > 0)
        sent = float("nan") if rng.random() < 0.05 else a
        links.append((f, t, sent, a * rng.choice([1.0, 0.97, 0.5])))
    local = {
        h: rng.choice([0.0, -1.0, 3.0, rng.uniform(0, 1e5)]) for h in hubs if rng.random() < 0.6
    }
    return links, hubs, local


def _same(x: object, y: object) -> bool:
    return (
        np.asarray(x).dtype == np.asarray(y).dtype
        and np.array_equal(np.asarray(x), np.asarray(y), equal_nan=True)
        and np.asarray(x).tobytes() == np.asarray(y).tobytes()
    )


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy warns of 1/1e-300, Python not
def test_shares_equal_the_numpy_sums_bit_for_bit() -> None:
    rng = random.Random(20261205)
    seen_hub_chain = seen_nan = 0
    for _ in range(2000):
        links, hubs, local = _group(rng)
        try:
            want = reference_hub_shares(links, hubs, local)
        except np.linalg.LinAlgError:  # no shares either way
            with pytest.raises(np.linalg.LinAlgError):
                _hub_shares(links, hubs, local)
            continue
        got = _hub_shares(links, hubs, local)
        assert got[0] == want[0] and got[1] == want[1]
        assert _same(got[2], want[2]) and got[2].shape == want[2].shape
        assert _same(got[3], want[3])
        seen_hub_chain += any(f in hubs and t in hubs for f, t, *_ in links)
        seen_nan += any(a != a for _, _, a, _ in links)
        # what the deliveries make of them: the same too
        if not any(d != d for *_, d in links):
            assert repr(_deliveries(links, hubs, local)) == repr(
                _deliveries_ref(links, hubs, local)
            )
    assert seen_hub_chain > 100 and seen_nan > 100


def _deliveries_ref(links: list, hubs: list[str], local: dict[str, float]) -> dict:
    """:func:`_deliveries` on the reference shares."""
    import symbio.model.exchange as ex

    real = ex._hub_shares
    ex._hub_shares = reference_hub_shares
    try:
        return ex._deliveries(links, hubs, local)
    finally:
        ex._hub_shares = real
