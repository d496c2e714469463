"""Durable background jobs: each a small decorated function that calls a service. Importing this registers them all."""

from resolution_app.jobs import deadlines, maintenance, notifications, webhooks

__all__ = ["deadlines", "maintenance", "notifications", "webhooks"]
