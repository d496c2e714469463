"""/creator/settings/saved-replies: the business's saved replies, with their placeholders explained."""

import reflex as rx

from resolution_app.components.creator_layout import creator_page
from resolution_app.components.layout import error_callout, field_label, local_time, notice_callout, placeholder
from resolution_app.components.saved_reply_picker import SEARCH_PAUSE_MS
from resolution_app.components.settings_forms import confirmed_button
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.domain.saved_replies import PLACEHOLDERS
from resolution_app.services.creator.saved_replies import SEARCH_MAX_CHARS
from resolution_app.state.saved_replies import REPLY_BODY_FIELD, REPLY_NAME_FIELD, SavedRepliesState

S = SavedRepliesState
SEARCH_ID = "saved_replies_search"
FIELDS = {"name": REPLY_NAME_FIELD, "body": REPLY_BODY_FIELD}


def _field_error(field: str) -> rx.Component:
    return rx.cond(
        S.error_field == field,
        rx.text(S.error, color_scheme="red", size="2", role="alert", id=f"{FIELDS[field]}_error"),
    )


def _placeholder_help() -> rx.Component:
    return rx.vstack(
        rx.text("Placeholders, filled in from the case when you insert the reply:", size="2"),
        rx.el.ul(
            *[
                rx.el.li(rx.code(f"{{{name}}}"), rx.text.span(f" {meaning}", size="2"))
                for name, meaning in PLACEHOLDERS.items()
            ],
            class_name="placeholder-list",
        ),
        rx.text("Write {{ or }} for a brace itself.", size="1", color_scheme="gray"),
        spacing="1",
        width="100%",
    )


def _form() -> rx.Component:
    name_limit, body_limit = DEFAULT_POLICY.saved_reply_name_max_chars, DEFAULT_POLICY.message_max_chars
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(rx.cond(S.editing, f"Edit “{S.editing_name}”", "Add a reply"), size="4"),
                field_label("Name", REPLY_NAME_FIELD),
                rx.input(
                    id=REPLY_NAME_FIELD,
                    name=REPLY_NAME_FIELD,
                    default_value=S.form_name,
                    placeholder="Refund on its way",
                    max_length=name_limit,
                    width="100%",
                    max_width="28em",
                    custom_attrs={"aria-invalid": S.error_field == "name"},
                ),
                _field_error("name"),
                field_label("Text", REPLY_BODY_FIELD),
                rx.text_area(
                    id=REPLY_BODY_FIELD,
                    name=REPLY_BODY_FIELD,
                    default_value=S.form_body,
                    placeholder="Hi {buyer_name}, your refund of {amount} for {product} is on its way.",
                    max_length=body_limit,
                    rows="6",
                    width="100%",
                    custom_attrs={"aria-invalid": S.error_field == "body"},
                ),
                _field_error("body"),
                _placeholder_help(),
                rx.flex(
                    rx.button(rx.cond(S.editing, "Save changes", "Add reply"), type="submit"),
                    rx.cond(
                        S.editing,
                        rx.button("Cancel", type="button", variant="soft", color_scheme="gray", on_click=S.cancel_edit),
                    ),
                    spacing="2",
                ),
                spacing="2",
                align="start",
                width="100%",
            ),
            on_submit=S.save_reply,
            key=S.form_key,
            width="100%",
        ),
        width="100%",
        class_name="saved-reply-form",
    )


def _reply(reply: rx.Var) -> rx.Component:
    delete = confirmed_button(
        "Delete",
        asking=S.deleting == reply.reply_id,
        ask=S.ask_to_delete(reply.reply_id),
        confirm=S.delete_reply,
        keep=S.keep_reply,
        aria_label=f"Delete {reply.name}",
    )
    edit = rx.button(
        "Edit",
        type="button",
        variant="soft",
        size="1",
        on_click=S.edit_reply(reply.reply_id),
        aria_label=f"Edit {reply.name}",
    )
    return rx.el.li(
        rx.card(
            rx.flex(
                rx.vstack(
                    rx.text(reply.name, weight="bold"),
                    rx.text(reply.preview, size="2", class_name="saved-reply-preview"),
                    rx.text(
                        "Changed by ",
                        reply.updated_by,
                        ", ",
                        local_time(reply.updated_at),
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="1",
                    min_width="0",
                    flex="1",
                ),
                rx.cond(S.may_manage, rx.hstack(edit, delete, spacing="2")),
                spacing="3",
                justify="between",
                align="start",
                wrap="wrap",
                width="100%",
            ),
            width="100%",
        ),
        class_name="saved-reply-row",
    )


def _replies() -> rx.Component:
    return rx.vstack(
        rx.heading("Replies", size="4"),
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            id=SEARCH_ID,
            default_value=S.search,
            on_change=S.search_replies.debounce(SEARCH_PAUSE_MS),
            placeholder="Search saved replies",
            aria_label="Search saved replies",
            max_length=SEARCH_MAX_CHARS,
            width="100%",
            max_width="28em",
        ),
        rx.cond(
            S.total == 0,
            rx.text(rx.cond(S.search != "", "No saved replies match.", "No saved replies yet."), color_scheme="gray"),
            rx.el.ul(rx.foreach(S.replies, _reply), class_name="plain-list saved-reply-list"),
        ),
        rx.cond(
            S.total > S.replies.length(),
            rx.text(
                "Showing ",
                S.replies.length(),
                " of ",
                S.total,
                ": search to find the others.",
                size="2",
                color_scheme="gray",
            ),
        ),
        spacing="3",
        width="100%",
    )


def saved_replies_page() -> rx.Component:
    return creator_page(
        "Saved replies",
        rx.text(
            "Answers you give often, ready to insert into a case's message with “Insert saved reply”. "
            "You can still change the text before you send it.",
            color_scheme="gray",
        ),
        rx.cond(S.error_field == "", error_callout(S.error)),
        notice_callout(S.notice),
        rx.cond(
            S.loaded,
            rx.fragment(
                rx.cond(
                    S.may_manage,
                    _form(),
                    rx.text(
                        "Only the business's owners and managers can add, change and delete saved replies.",
                        color_scheme="gray",
                    ),
                ),
                _replies(),
            ),
            placeholder("Loading saved replies", rows=4),
        ),
    )
