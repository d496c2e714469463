"""What a business's own tools use: API keys, and the callers they make (issue 14)."""
