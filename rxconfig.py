import reflex as rx

config = rx.Config(app_name="resolution_app", telemetry_enabled=False)
