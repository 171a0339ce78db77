"""symbio.cli."""
