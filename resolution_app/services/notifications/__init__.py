"""Notifications: the outbox rows every change writes, their delivery by email, the in-app inbox, each person's
settings and the deadline reminders."""
