"""Inputs a page leaves unbound (so a reload landing mid-word never overwrites them), filled from the URL."""

import json

import reflex as rx


def fill_inputs(values: dict[str, str]) -> rx.event.EventSpec:
    """Show the URL's view in the inputs the page doesn't bind (after a reload or Back), except in the one the
    person is typing in: a load that lands mid-word must not wipe it."""
    script = (
        f"for (const [id, value] of Object.entries({json.dumps(values)})) {{"
        " const input = document.getElementById(id);"
        " if (input && input !== document.activeElement) input.value = value; }"
    )
    return rx.call_script(script)
