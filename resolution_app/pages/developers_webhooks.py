"""The webhooks part of /creator/settings/developers: add an endpoint, see its deliveries, send one again."""

import reflex as rx

from resolution_app.components.layout import (
    error_callout,
    field_label,
    labelled_cell,
    local_time,
    notice_callout,
    placeholder,
    stacked_table,
)
from resolution_app.components.settings_forms import confirmed_button, form_card
from resolution_app.components.shown_once import shown_once
from resolution_app.domain.webhooks import EVENT_LABELS, EVENT_TYPES
from resolution_app.state.webhooks import URL_FIELD, WebhooksState, event_field

S = WebhooksState
ENDPOINT_HEADERS = ("URL", "Events", "State", "Added", "")
LOG_HEADERS = ("Time", "Event", "Case", "Answer", "Latency", "Attempt", "")


def _new_secret() -> rx.Component:
    heading = f"The signing secret of {S.new_secret_url}. Copy it now: it is shown only this once."
    return shown_once(S.new_secret, heading, "new-webhook-secret", "Copy secret", S.forget_new_secret)


def _event_box(kind: str) -> rx.Component:
    return rx.checkbox(f"{EVENT_LABELS[kind]} ({kind})", name=event_field(kind), default_checked=True, size="2")


def _add_form() -> rx.Component:
    return form_card(
        "Add endpoint",
        field_label("Endpoint URL", URL_FIELD),
        rx.input(
            id=URL_FIELD,
            name=URL_FIELD,
            type="url",
            placeholder="https://example.com/webhooks/resolution-center",
            max_length=2000,
            width="100%",
            max_width="36em",
            custom_attrs={"aria-invalid": S.error_field == "url"},
        ),
        rx.el.fieldset(
            rx.el.legend("Events", style={"font_weight": "500", "margin_bottom": "0.25em"}),
            rx.vstack(*[_event_box(kind) for kind in EVENT_TYPES], spacing="1"),
            style={"border": "none", "padding": "0", "margin": "0"},
        ),
        hint="Each event is POSTed as JSON, signed with the endpoint's secret (Standard Webhooks: the webhook-id, "
        "webhook-timestamp and webhook-signature headers). Failed deliveries are retried for over a day; an "
        "endpoint that fails for 3 days is turned off.",
        submit="Add endpoint",
        on_submit=S.add_endpoint,
    )


def _state_badge(endpoint: rx.Var) -> rx.Component:
    return rx.cond(
        endpoint.disabled,
        rx.badge("Turned off", color_scheme="red"),
        rx.cond(
            endpoint.failing_since,
            rx.vstack(rx.badge("Failing", color_scheme="orange"), local_time(endpoint.failing_since), spacing="1"),
            rx.badge("Active", color_scheme="green"),
        ),
    )


def _endpoint_buttons(endpoint: rx.Var) -> rx.Component:
    log_label = rx.cond(S.log_for == endpoint.endpoint_id, "Hide deliveries", "Deliveries")
    remove = confirmed_button(
        "Remove",
        asking=S.removing == endpoint.endpoint_id,
        ask=S.ask_to_remove(endpoint.endpoint_id),
        confirm=S.remove,
        keep=S.keep_endpoint,
        aria_label=f"Remove {endpoint.url}",
    )
    enable = rx.button("Enable", type="button", size="1", on_click=S.enable(endpoint.endpoint_id))
    manage = rx.hstack(rx.cond(endpoint.disabled & (S.removing != endpoint.endpoint_id), enable), remove)
    return rx.hstack(
        rx.button(log_label, type="button", variant="soft", size="1", on_click=S.show_log(endpoint.endpoint_id)),
        rx.cond(S.may_manage, manage),
        wrap="wrap",
    )


def _endpoint_row(endpoint: rx.Var) -> rx.Component:
    return rx.table.row(
        labelled_cell("URL", rx.code(endpoint.url, style={"word_break": "break-all"})),
        labelled_cell("Events", endpoint.events_label),
        labelled_cell("State", _state_badge(endpoint)),
        labelled_cell("Added", local_time(endpoint.created_at)),
        rx.table.cell(_endpoint_buttons(endpoint)),
        class_name="webhook-endpoint-row",
    )


def _answer(attempt: rx.Var) -> rx.Component:
    code = rx.cond(attempt.status_code, attempt.status_code.to_string(), "No answer")
    ok = (attempt.status_code >= 200) & (attempt.status_code < 300)
    return rx.vstack(
        rx.badge(code, color_scheme=rx.cond(ok, "green", "red")),
        rx.cond(attempt.error != "", rx.text(attempt.error, size="1", color_scheme="gray")),
        spacing="1",
    )


def _attempt_row(attempt: rx.Var) -> rx.Component:
    resend = rx.button(
        "Resend",
        type="button",
        variant="soft",
        size="1",
        on_click=S.resend(attempt.delivery_id),
        aria_label=f"Resend {attempt.event_id}",
    )
    return rx.table.row(
        labelled_cell("Time", local_time(attempt.at, "MMM D, YYYY HH:mm:ss")),
        labelled_cell("Event", rx.text(attempt.event_type), rx.code(attempt.event_id, size="1")),
        labelled_cell("Case", rx.text(f"#{attempt.case_id}")),
        labelled_cell("Answer", _answer(attempt)),
        labelled_cell("Latency", rx.text(f"{attempt.latency_ms} ms")),
        labelled_cell("Attempt", attempt.attempt),
        rx.table.cell(rx.cond(S.may_manage & (attempt.delivery_status != "sending"), resend)),
        class_name="webhook-attempt-row",
    )


def _log() -> rx.Component:
    return rx.cond(
        S.log_for != 0,
        rx.vstack(
            rx.hstack(
                rx.heading("Deliveries", size="3"),
                rx.button(rx.icon("refresh-cw", size=14), "Refresh", type="button", size="1", on_click=S.refresh_log),
                align="center",
            ),
            rx.cond(
                S.log.length() == 0,
                rx.text("Nothing sent to this endpoint yet.", color_scheme="gray"),
                stacked_table([rx.table.column_header_cell(h) for h in LOG_HEADERS], S.log, _attempt_row),
            ),
            width="100%",
            id="webhook-log",
        ),
    )


def webhooks_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Webhooks", size="5", margin_top="1em"),
        rx.text(
            "Webhooks tell your tools the moment a case is opened, changes or is decided.",
            color_scheme="gray",
        ),
        error_callout(S.error),
        notice_callout(S.notice),
        _new_secret(),
        rx.cond(
            S.loaded,
            rx.fragment(
                rx.cond(
                    S.may_manage,
                    _add_form(),
                    rx.text("Only the business's owners and managers can add endpoints.", color_scheme="gray"),
                ),
                rx.heading("Endpoints", size="4"),
                rx.cond(
                    S.endpoints.length() == 0,
                    rx.text("No endpoints yet.", color_scheme="gray"),
                    stacked_table(
                        [rx.table.column_header_cell(h) for h in ENDPOINT_HEADERS], S.endpoints, _endpoint_row
                    ),
                ),
                _log(),
            ),
            placeholder("Loading webhooks", rows=2),
        ),
        width="100%",
        spacing="3",
    )
