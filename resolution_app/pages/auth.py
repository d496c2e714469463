"""Sign in and sign up."""

import reflex as rx

from resolution_app.components.layout import error_callout, field_label, header
from resolution_app.state.session import SessionState


def _frame(*children: rx.Component) -> rx.Component:
    return rx.box(
        header(),
        rx.center(rx.card(rx.vstack(*children, spacing="4", width="100%"), width="400px", size="3"), padding_y="4em"),
        min_height="100vh",
        background="var(--gray-2)",
    )


def _field(label: str, name: str, kind: str = "text") -> rx.Component:
    return rx.vstack(
        field_label(label, name),
        rx.input(id=name, name=name, type=kind, required=True, width="100%"),
        spacing="1",
        width="100%",
    )


def _demo_accounts() -> rx.Component:
    return rx.cond(
        SessionState.demo_accounts.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("info")),
            rx.box(
                rx.text("Demo accounts (password demo-password-1):", weight="medium", size="2"),
                rx.foreach(SessionState.demo_accounts, lambda a: rx.text(a[0], ": ", rx.code(a[1]), size="2")),
            ),
            size="1",
        ),
    )


def login_page() -> rx.Component:
    return _frame(
        rx.heading("Log in", size="5"),
        error_callout(SessionState.auth_error),
        rx.form(
            rx.vstack(
                _field("Email", "email", "email"),
                _field("Password", "password", "password"),
                rx.button("Log in", type="submit", width="100%"),
                width="100%",
            ),
            on_submit=SessionState.log_in,
            reset_on_submit=False,
        ),
        rx.text("New here? ", rx.link("Create an account", href="/signup"), size="2"),
        _demo_accounts(),
    )


def signup_page() -> rx.Component:
    return _frame(
        rx.heading("Create an account", size="5"),
        error_callout(SessionState.auth_error),
        rx.form(
            rx.vstack(
                _field("Name", "name"),
                _field("Email", "email", "email"),
                _field("Password", "password", "password"),
                rx.text("At least 10 characters.", size="1", color_scheme="gray"),
                rx.button("Create account", type="submit", width="100%"),
                width="100%",
            ),
            on_submit=SessionState.sign_up,
        ),
        rx.text("Have an account? ", rx.link("Log in", href="/login"), size="2"),
    )
