"""What the settings pages' forms share: a card holding a form, and a destructive button that asks first."""

import reflex as rx
from reflex.event import EventType


def form_card(heading: str, *fields: rx.Component, hint: str, submit: str, on_submit: EventType) -> rx.Component:
    """A card with a heading, the fields, a line saying what happens, and the submit button."""
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(heading, size="4"),
                *fields,
                rx.text(hint, size="2", color_scheme="gray"),
                rx.button(submit, type="submit"),
                spacing="2",
                align="start",
                width="100%",
            ),
            on_submit=on_submit,
        ),
        width="100%",
    )


def confirmed_button(
    label: str, *, asking: rx.Var[bool], ask: EventType, confirm: EventType, keep: EventType, aria_label: rx.Var | str
) -> rx.Component:
    """`label`, which asks "<label> now" or "Keep" before it does anything that can't be undone."""
    return rx.cond(
        asking,
        rx.hstack(
            rx.button(f"{label} now", type="button", color_scheme="red", size="1", on_click=confirm),
            rx.button("Keep", type="button", variant="soft", size="1", on_click=keep),
        ),
        rx.button(
            label, type="button", variant="soft", color_scheme="red", size="1", on_click=ask, aria_label=aria_label
        ),
    )
