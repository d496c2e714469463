"""A secret shown once, right after it is made (an API key, a webhook signing secret), with a copy button."""

import reflex as rx


def shown_once(secret: rx.Var, heading: rx.Var | str, element_id: str, copy_label: str, on_done) -> rx.Component:  # noqa: ANN001
    return rx.cond(
        secret != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("key-round")),
            rx.vstack(
                rx.text(heading, weight="medium"),
                rx.code(secret, id=element_id, style={"word_break": "break-all"}),
                rx.hstack(
                    rx.button(rx.icon("copy", size=14), copy_label, type="button", on_click=rx.set_clipboard(secret)),
                    rx.button("I have copied it", type="button", variant="soft", on_click=on_done),
                    wrap="wrap",
                ),
                spacing="2",
                width="100%",
            ),
            color_scheme="green",
            role="status",
            width="100%",
        ),
    )
