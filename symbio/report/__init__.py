"""symbio.report."""
