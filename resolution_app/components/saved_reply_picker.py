"""The creator's "Insert saved reply": a dialog with a search box over the business's saved replies; the chosen one
goes into the Message box filled in for the case, where the cursor was."""

import reflex as rx
from reflex.vars import FunctionStringVar

from resolution_app.components.layout import dom_value, error_callout, placeholder
from resolution_app.services.creator.saved_replies import SEARCH_MAX_CHARS
from resolution_app.state.case_page import MESSAGE_FIELD_ID

PICKER_SEARCH_ID = "saved_reply_search"
SETTINGS_PATH = "/creator/settings/saved-replies"
SEARCH_PAUSE_MS = 250  # the list follows the search once typing pauses, not at every key
# Closed, the picker hands the focus to the Message box rather than back to its button: with a reply inserted, the
# person goes on to edit it there; without one, they go back to writing. Either way, one Tab stop from the button.
BACK_TO_THE_MESSAGE = FunctionStringVar.create(
    f"((event) => {{ event.preventDefault(); document.getElementById({MESSAGE_FIELD_ID!r})?.focus(); }})"
)


def _selection(end: str) -> rx.Var[int]:
    """Where the person's cursor (or selection) is in the Message box, read when they choose: -1 when unknown."""
    return rx.Var(_js_expr=f"(document.getElementById({MESSAGE_FIELD_ID!r})?.selection{end} ?? -1)", _var_type=int)


def _choice(state, reply) -> rx.Component:  # noqa: ANN001
    return rx.el.li(
        rx.button(
            rx.vstack(
                rx.text(reply.name, weight="bold", size="2"),
                rx.text(reply.preview, size="1", color_scheme="gray", class_name="saved-reply-preview"),
                spacing="1",
                align="start",
                width="100%",
            ),
            on_click=state.insert_saved_reply(
                reply.reply_id, dom_value(MESSAGE_FIELD_ID), _selection("Start"), _selection("End")
            ),
            type="button",
            variant="ghost",
            color_scheme="gray",
            high_contrast=True,
            width="100%",
            class_name="saved-reply-choice",
        ),
    )


def _choices(state) -> rx.Component:  # noqa: ANN001
    return rx.cond(
        state.picker_loaded,
        rx.cond(
            state.picker_total == 0,
            rx.text(
                rx.cond(state.picker_search != "", "No saved replies match.", "No saved replies yet."),
                size="2",
                color_scheme="gray",
            ),
            rx.vstack(
                rx.el.ul(
                    rx.foreach(state.picker_replies, lambda reply: _choice(state, reply)), class_name="plain-list"
                ),
                rx.cond(
                    state.picker_total > state.picker_replies.length(),
                    rx.text(
                        "Showing ",
                        state.picker_replies.length(),
                        " of ",
                        state.picker_total,
                        ": search to find the others.",
                        size="1",
                        color_scheme="gray",
                    ),
                ),
                spacing="2",
                width="100%",
                class_name="saved-reply-choices",
            ),
        ),
        placeholder("Loading saved replies", rows=3),
    )


def saved_reply_picker(state) -> rx.Component:  # noqa: ANN001 - a case page's state with SavedReplyPickerState
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(rx.icon("message-square-text", size=16), "Insert saved reply", variant="soft", type="button")
        ),
        rx.dialog.content(
            rx.vstack(
                rx.dialog.title("Insert saved reply", margin_bottom="0"),
                rx.dialog.description(
                    "Its placeholders are filled in for this case. You can change the text before you send it.",
                    size="2",
                ),
                rx.input(  # left to itself: the dialog's content is made afresh, empty, each time it opens
                    rx.input.slot(rx.icon("search", size=16)),
                    id=PICKER_SEARCH_ID,
                    on_change=state.search_picker.debounce(SEARCH_PAUSE_MS),
                    placeholder="Search saved replies",
                    aria_label="Search saved replies",
                    max_length=SEARCH_MAX_CHARS,
                    width="100%",
                ),
                error_callout(state.picker_error),
                _choices(state),
                rx.flex(
                    rx.link("Manage saved replies", href=SETTINGS_PATH, size="2"),
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray", type="button")),
                    justify="between",
                    align="center",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="34em",
            on_close_auto_focus=BACK_TO_THE_MESSAGE,
        ),
        open=state.picker_open,
        on_open_change=state.set_picker_open,
    )
