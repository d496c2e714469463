"""The creator's settings: /creator/settings/auto-respond and /creator/settings/legal."""

import reflex as rx

from resolution_app.components.creator_layout import creator_page
from resolution_app.components.file_picker import file_picker, picked_files
from resolution_app.components.layout import dom_value, error_callout, field_label, local_time, notice_callout
from resolution_app.domain.auto_respond import FINANCING_PHRASE
from resolution_app.domain.enums import PAYMENT_METHOD_LABELS, REASON_LABELS, LegalDocumentKind
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.services.creator.auto_respond import CARD_LABEL, PAYPAL_LABEL
from resolution_app.state.creator_settings import (
    CARD_FIELD,
    MESSAGE_FIELD,
    PAYPAL_FIELD,
    REASON_FIELD_PREFIX,
    AutoRespondState,
    LegalState,
    legal_text_id,
    legal_upload_id,
)

FINANCING_NAMES = ", ".join(
    label for method, label in PAYMENT_METHOD_LABELS.items() if method in DEFAULT_POLICY.financing_methods
)
LEGAL_TITLES = {
    LegalDocumentKind.TERMS_OF_SERVICE: "Terms of service",
    LegalDocumentKind.REFUND_POLICY: "Refund policy",
}


# --- Auto-respond -------------------------------------------------------------------------------------------------


def _field_error(field_id: str) -> rx.Component:
    s = AutoRespondState
    return rx.cond(s.error_field == field_id, rx.text(s.error, color_scheme="red", size="2", role="alert"))


def _threshold_field(label: str, field_id: str, value: rx.Var) -> rx.Component:
    return rx.vstack(
        field_label(label, field_id),
        rx.input(
            rx.input.slot(AutoRespondState.currency),
            id=field_id,
            name=field_id,
            default_value=value,
            placeholder="Off",
            input_mode="decimal",
            max_length=30,
            width="16em",
            custom_attrs={"aria-invalid": AutoRespondState.error_field == field_id},
        ),
        _field_error(field_id),
        spacing="1",
    )


def _reason_switch(value: str, label: str) -> rx.Component:
    return rx.text(
        rx.flex(
            rx.switch(
                name=f"{REASON_FIELD_PREFIX}{value}",
                default_checked=AutoRespondState.reasons.contains(value),
            ),
            label,
            spacing="2",
            align="center",
        ),
        as_="label",
        size="2",
    )


def _auto_respond_form() -> rx.Component:
    s = AutoRespondState
    return rx.form(
        rx.vstack(
            rx.callout(
                f"{FINANCING_PHRASE} ({FINANCING_NAMES}) as soon as the buyer opens a case, "
                "whatever these settings say.",
                icon="info",
                width="100%",
            ),
            _threshold_field(CARD_LABEL, CARD_FIELD, s.card_below),
            _threshold_field(PAYPAL_LABEL, PAYPAL_FIELD, s.paypal_below),
            rx.text(
                "Payments at or below the amount are refunded at once. Leave an amount empty to turn that rule off.",
                size="1",
                color_scheme="gray",
            ),
            rx.heading("Refund these reasons automatically", size="3", margin_top="0.5em"),
            *[_reason_switch(reason.value, label) for reason, label in REASON_LABELS.items()],
            field_label("Custom message", MESSAGE_FIELD),
            rx.text_area(
                id=MESSAGE_FIELD,
                name=MESSAGE_FIELD,
                default_value=s.custom_message,
                max_length=DEFAULT_POLICY.auto_respond_message_max_chars,
                rows="5",
                width="100%",
                placeholder="Sorry this didn't work out for you. Your refund is on its way.",
                custom_attrs={"aria-invalid": s.error_field == MESSAGE_FIELD},
            ),
            _field_error(MESSAGE_FIELD),
            rx.text(
                f"Posted into the case and emailed to the buyer when a case is refunded automatically. "
                f"At most {DEFAULT_POLICY.auto_respond_message_max_chars:,} characters.",
                size="1",
                color_scheme="gray",
            ),
            rx.cond(s.error_field == "", error_callout(s.error)),
            notice_callout(s.notice),
            rx.button("Save", type="submit", size="3"),
            spacing="3",
            align="start",
            width="100%",
        ),
        on_submit=s.save,
        key=s.form_key,
        width="100%",
    )


def auto_respond_page() -> rx.Component:
    s = AutoRespondState
    return creator_page(
        "Auto-respond",
        rx.text("Refund some new cases at once, without waiting for you to answer them.", color_scheme="gray"),
        rx.cond(s.loaded, rx.card(_auto_respond_form(), width="100%"), error_callout(s.error)),
    )


# --- Legal documents ----------------------------------------------------------------------------------------------


def _version_row(document: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(f"v{document.version}"),
        rx.table.cell(local_time(document.created_at)),
        rx.table.cell(document.source),
        rx.table.cell(rx.link("View", href=document.url, is_external=True)),
        class_name="legal-version",
    )


def _versions(versions: rx.Var) -> rx.Component:
    return rx.cond(
        versions.length() == 0,
        rx.text("No version yet.", color_scheme="gray", size="2"),
        rx.table.root(
            rx.table.header(
                rx.table.row(*[rx.table.column_header_cell(h) for h in ("Version", "Created", "Source", "")])
            ),
            rx.table.body(rx.foreach(versions, _version_row)),
            variant="surface",
            size="1",
            width="100%",
        ),
    )


def _messages(kind: str) -> rx.Component:
    s = LegalState
    return rx.cond(s.message_kind == kind, rx.fragment(error_callout(s.error), notice_callout(s.notice)))


def _legal_section(kind: LegalDocumentKind, versions: rx.Var) -> rx.Component:
    s, text_id, upload_id = LegalState, legal_text_id(kind), legal_upload_id(kind)
    title = LEGAL_TITLES[kind]
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4"),
            _versions(versions),
            field_label("Write a new version", text_id),
            rx.text_area(id=text_id, rows="6", width="100%"),
            rx.button("Save version", type="button", on_click=s.save_text(kind.value, dom_value(text_id))),
            rx.divider(),
            file_picker(
                upload_id,
                "Upload PDF",
                max_files=1,
                accept={"application/pdf": [".pdf"], "text/plain": [".txt"]},
                hint="A PDF or a plain-text file, one at a time · 50 MB at most",
            ),
            rx.button(
                "Upload version",
                type="button",
                loading=s.busy_kind == kind.value,
                on_click=s.upload_version(picked_files(upload_id), kind.value),
            ),
            _messages(kind.value),
            spacing="3",
            align="start",
            width="100%",
        ),
        role="region",
        aria_label=title,
        width="100%",
    )


def legal_page() -> rx.Component:
    s = LegalState
    return creator_page(
        "Legal documents",
        rx.text(
            "Buyers agree to a version when they buy; the case page shows which one. New versions never change "
            "what someone already agreed to.",
            color_scheme="gray",
        ),
        _messages(""),
        _legal_section(LegalDocumentKind.TERMS_OF_SERVICE, s.terms_of_service),
        _legal_section(LegalDocumentKind.REFUND_POLICY, s.refund_policy),
    )
