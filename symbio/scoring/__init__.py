"""symbio.scoring."""
