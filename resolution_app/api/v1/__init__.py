"""The public REST API, version 1: `/api/v1`, for a business's own tools (docs at /api/v1/docs)."""
