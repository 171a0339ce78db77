"""symbio.model."""
