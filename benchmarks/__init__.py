"""Benchmarks for symbio: a seeded synthetic park generator and a per-phase timing script.

Not part of the installed package and not run as tests; see ``benchmarks/README.md``.
"""
