"""Mutated scenario files for fuzzing the loader: text edits, structure edits, hostile values.

One mutant is a pair of files in a fresh folder: ``park.yaml`` (the mutant) and, beside it,
``base.yaml`` (a valid scenario ``extends:`` may name). :func:`classify` loads the mutant
the way ``symbio validate`` does and says what happened:

* ``accepted``: a valid scenario;
* ``rejected``: a :class:`~symbio.errors.SymbioError` (a user error: exit 2, no traceback);
* ``uncaught``: any other exception (a bug: the CLI would print a traceback).

Used by the property test ``tests/hardening/test_fuzz.py`` (a few hundred mutants per run)
and by ``benchmarks/fuzz.py`` (10,000 mutants, counts written to benchmarks/results/).
"""

from __future__ import annotations

import copy
import random
import re
import tempfile
import traceback
from functools import cache
from pathlib import Path

import yaml

from symbio.errors import SymbioError
from symbio.flows.load import load_scenario

ROOT = Path(__file__).resolve().parents[1]
BASES = [
    ROOT / "scenarios" / "examples" / "hydrogen-pair.yaml",
    ROOT / "scenarios" / "examples" / "small-park.yaml",
    ROOT / "scenarios" / "scip" / "symbiosis-2025.yaml",
]
#: Values a structure edit puts in place of another (types, extremes, hostile text).
ODD_VALUES: list[object] = [
    None, "", "text", 0, -1, 7, -3.5, 1e300, -1e300, 1e155, 1e19, 1e-12, 1e-320,
    10**309, float("inf"), float("nan"), True, [], {}, [1, "a"], {"x": 1},
    {"factor": "grid_electricity_co2"}, {"factor": 5}, {"remove": True},
    "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "-2", "$x^$", "a\x00b", "\x1b[31m", "x" * 5000,
    "../../etc/passwd", "/dev/zero", "a" * 300,
]  # fmt: skip
ODD_KEYS = ["idd", "amount", "id", "resource", "from", "to", "remove", "factor", "extends",
            "factor_set", "<<", "xy_km", "level", "x"]  # fmt: skip
NOISE = list("[]{}:,&*!|>-#'\"%@`\t\n ") + ["\x00", "\x1b", "\ufeff", "é", "氢", "\u202e"]


def _paths(node: object, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return []
    out = []
    for key, value in items:
        out.append((*path, key))
        out += _paths(value, (*path, key))
    return out


def _number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _structure(rng: random.Random, data: dict) -> str:
    """Edit the parsed data at a random place; return it as YAML."""
    for _ in range(rng.randint(1, 3)):
        paths = _paths(data)
        if not paths:
            break
        path = rng.choice(paths)
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        op = rng.choice(["delete", "retype", "rename", "duplicate", "negate", "scale"])
        if op == "delete":
            del parent[key]
        elif op == "retype":
            parent[key] = copy.deepcopy(rng.choice(ODD_VALUES))
        elif op == "rename" and isinstance(parent, dict):
            parent[rng.choice(ODD_KEYS)] = parent.pop(key)
        elif op == "duplicate" and isinstance(parent[key], list) and parent[key]:
            parent[key].append(copy.deepcopy(rng.choice(parent[key])))
        elif op in ("negate", "scale") and _number(parent[key]):
            factor = -1 if op == "negate" else rng.choice([1e-15, 1e9, 1e20, 1e200])
            parent[key] = parent[key] * factor
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _text(rng: random.Random, text: str) -> str:
    """Edit the text: lines, characters, numbers, nesting, aliases, references."""
    lines = text.splitlines()
    op = rng.choice(["line", "chars", "number", "nest", "bomb", "merge", "extends", "factor"])
    i = rng.randrange(len(lines))
    if op == "line":
        kind = rng.choice(["delete", "duplicate", "swap", "indent", "truncate"])
        j = rng.randrange(len(lines))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "indent":
            lines[i] = " " * rng.choice([1, 2, 3, 8]) + lines[i]
        else:
            lines = lines[:i]
    elif op == "chars":
        line = lines[i]
        k = rng.randint(0, len(line))
        lines[i] = line[:k] + "".join(rng.choices(NOISE, k=rng.randint(1, 4))) + line[k:]
    elif op == "number":
        numbers = [(n, m) for n, s in enumerate(lines) for m in re.finditer(r"\b\d+(\.\d+)?\b", s)]
        if numbers:
            n, m = rng.choice(numbers)
            new = rng.choice(["1e309", "1e155", "-1e300", "1e-320", "9" * 309, ".nan", ".inf",
                              "-0", "0x1F", "1_000", "1e19", "0.000000001"])  # fmt: skip
            lines[n] = lines[n][: m.start()] + new + lines[n][m.end() :]
    elif op == "nest":
        depth = rng.choice([70, 600, 3000])
        lines.append("deep: " + "[" * depth + "]" * depth)
    elif op == "bomb":
        lines.append('lol0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]')
        lines += [f"lol{n}: &l{n} [" + ",".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, 10)]
    elif op == "merge":
        lines.append("mg0: &mg0 {x0: 1, x1: 2}")
        lines += [f"mg{n}: &mg{n} {{<<: [*mg{n - 1}], a{n}: *mg{n - 1}, b{n}: *mg{n - 1}}}" for n in range(1, 40)]  # fmt: skip
    elif op == "extends":
        target = rng.choice(["base.yaml", "park.yaml", "/etc/passwd", "../../../../etc/hostname",
                             "/dev/zero", "a" * 300, '"a\\0b"', ".", "missing.yaml", "[1, 2]"])  # fmt: skip
        lines = [f"extends: {target}", *[s for s in lines if not s.startswith("extends:")]]
    else:
        target = rng.choice(["/etc/passwd", "../x", "shanghai-2022", "a b", "nope", "../../data/factors/shanghai-2022"])  # fmt: skip
        lines.append(f"policy: {{factor_set: '{target}'}}")
    return "\n".join(lines) + "\n"


@cache
def _parsed(path: Path) -> dict:
    """A base scenario as plain data, parsed once per process (callers copy it)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def mutant(seed: int) -> tuple[str, str]:
    """The mutant of ``seed``: (its YAML text, the text of the valid ``base.yaml`` beside it)."""
    rng = random.Random(seed)
    path = rng.choice(BASES)
    base = path.read_text(encoding="utf-8")
    text = _structure(rng, copy.deepcopy(_parsed(path))) if rng.random() < 0.5 else base
    for _ in range(rng.randint(1, 2)):
        text = _text(rng, text) if rng.random() < 0.6 else text
    return text, BASES[0].read_text(encoding="utf-8")


def classify(seed: int) -> tuple[str, str]:
    """Load the mutant of ``seed``; return (outcome, detail of an uncaught exception)."""
    text, base = mutant(seed)
    with tempfile.TemporaryDirectory(prefix="symbio-fuzz-") as tmp:
        folder = Path(tmp)
        (folder / "base.yaml").write_text(base, encoding="utf-8")
        file = folder / "park.yaml"
        file.write_text(text, encoding="utf-8", errors="surrogateescape")
        try:
            load_scenario(file)
        except SymbioError:
            return "rejected", ""
        except Exception as exc:  # noqa: BLE001 - counting them is the point
            last = traceback.extract_tb(exc.__traceback__)[-1]
            return (
                "uncaught",
                f"{type(exc).__name__} at {Path(last.filename).name}:{last.lineno}: {exc}"[:300],
            )
    return "accepted", ""
