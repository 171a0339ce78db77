"""symbio.solvers."""
