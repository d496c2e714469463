"""/creator/settings/developers: the API keys and webhooks a business's own tools use."""

import reflex as rx

from resolution_app.components.creator_layout import creator_page
from resolution_app.components.layout import (
    NATIVE_SELECT_STYLE,
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
from resolution_app.domain.enums import API_SCOPE_LABELS
from resolution_app.pages.developers_webhooks import webhooks_section
from resolution_app.services.developers.api_keys import NAME_MAX_CHARS
from resolution_app.state.developers import KEY_NAME_FIELD, KEY_SCOPE_FIELD, DevelopersState

S = DevelopersState
HEADERS = ("Name", "Key", "Access", "Created", "Last used", "")


def _new_key() -> rx.Component:
    heading = f"Your new key, “{S.new_key_name}”. Copy it now: it is shown only this once."
    return shown_once(S.new_key, heading, "new-api-key", "Copy key", S.forget_new_key)


def _create_form() -> rx.Component:
    return form_card(
        "Create an API key",
        field_label("Name", KEY_NAME_FIELD),
        rx.input(
            id=KEY_NAME_FIELD,
            name=KEY_NAME_FIELD,
            placeholder="Help desk",
            max_length=NAME_MAX_CHARS,
            width="100%",
            max_width="24em",
            custom_attrs={"aria-invalid": S.error_field == "name"},
        ),
        field_label("Access", KEY_SCOPE_FIELD),
        rx.el.select(
            *[rx.el.option(label, value=scope.value) for scope, label in API_SCOPE_LABELS.items()],
            id=KEY_SCOPE_FIELD,
            name=KEY_SCOPE_FIELD,
            style=NATIVE_SELECT_STYLE,
        ),
        hint="Read lists and reads cases. Read and write also accepts, denies, asks for information and writes "
        "messages, as you would.",
        submit="Create API key",
        on_submit=S.create_key,
    )


def _revoke_button(key: rx.Var) -> rx.Component:
    revoke = confirmed_button(
        "Revoke",
        asking=S.revoking == key.key_id,
        ask=S.ask_to_revoke(key.key_id),
        confirm=S.revoke,
        keep=S.keep_key,
        aria_label=f"Revoke {key.name}",
    )
    return rx.cond(S.may_manage, revoke)


def _key_row(key: rx.Var) -> rx.Component:
    return rx.table.row(
        labelled_cell("Name", rx.text(key.name, weight="medium")),
        labelled_cell("Key", rx.code(f"{key.shown_prefix}…")),
        labelled_cell("Access", key.scope_label),
        labelled_cell("Created", local_time(key.created_at), rx.text(key.created_by, size="1", color_scheme="gray")),
        labelled_cell("Last used", rx.cond(key.last_used_at, local_time(key.last_used_at), "Never")),
        rx.table.cell(_revoke_button(key)),
        class_name="api-key-row",
    )


def _keys() -> rx.Component:
    return rx.cond(
        S.keys.length() == 0,
        rx.text("No keys yet.", color_scheme="gray"),
        stacked_table([rx.table.column_header_cell(h) for h in HEADERS], S.keys, _key_row),
    )


def developers_page() -> rx.Component:
    return creator_page(
        "Developers",
        rx.text(
            "API keys let your own tools (a help desk, a bot, a spreadsheet) read your business's cases and answer "
            "them. A key acts with the rights of the member who made it, in this business only.",
            color_scheme="gray",
        ),
        rx.link("Read the API reference", href="/api/v1/docs", is_external=True, id="api-docs-link"),
        error_callout(S.error),
        notice_callout(S.notice),
        _new_key(),
        rx.cond(
            S.loaded,
            rx.fragment(
                rx.cond(
                    S.may_manage,
                    _create_form(),
                    rx.text("Only the business's owners and managers can create and revoke keys.", color_scheme="gray"),
                ),
                rx.heading("Keys", size="4"),
                _keys(),
            ),
            placeholder("Loading API keys", rows=3),
        ),
        webhooks_section(),
    )
