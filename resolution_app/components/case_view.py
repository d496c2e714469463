"""The parts of a case page: summary, timeline, chat and the actions the lifecycle allows."""

import reflex as rx

from resolution_app.components.file_picker import file_picker, picked_files
from resolution_app.components.layout import countdown, dom_value, error_callout, local_time, notice_callout
from resolution_app.state.case_page import ACTION_FIELD_ID, ACTION_UPLOAD_ID, MESSAGE_FIELD_ID, MESSAGE_UPLOAD_ID

STATUS_COLORS = {
    "merchant_response_needed": "amber",
    "customer_info_needed": "blue",
    "customer_response_needed": "blue",
    "under_platform_review": "purple",
    "merchant_info_needed": "amber",
    "customer_won": "green",
    "merchant_won": "gray",
    "customer_withdrew": "gray",
}

# action value → (button label, colour, needs text, text label, accepts files)
ACTIONS: dict[str, tuple[str, str, bool, str, bool]] = {
    "accept": ("Accept", "green", False, "", False),
    "deny": ("Deny", "red", True, "Explanation", False),
    "request_more_info": ("Request more info", "blue", True, "Question for the buyer", False),
    "withdraw": ("Withdraw", "gray", False, "", False),
    "escalate": ("Escalate to platform", "purple", True, "Why you disagree", True),
    "reply": ("Send reply", "blue", True, "Your reply", True),
    "appeal": ("Appeal", "orange", True, "Appeal statement", True),
    "request_buyer_info": ("Request info from buyer", "blue", True, "Question for the buyer", False),
    "request_merchant_info": ("Request info from creator", "blue", True, "Question for the creator", False),
    "decide_refund": ("Refund (creator pays)", "green", True, "Rationale", False),
    "decide_credit": ("Credit buyer balance", "green", True, "Rationale", False),
    "decide_merchant_wins": ("Creator wins", "gray", True, "Rationale", False),
}


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return rx.badge(
        label, color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"), size="2", class_name="status-badge"
    )


def file_links(files: rx.Var) -> rx.Component:
    return rx.flex(
        rx.foreach(
            files,
            lambda f: rx.link(
                rx.card(
                    rx.vstack(
                        rx.cond(
                            f.is_image,
                            rx.image(
                                src=f.url, max_width="160px", max_height="120px", object_fit="contain", alt=f.name
                            ),
                            rx.icon("file-text", size=32),
                        ),
                        rx.text(f.name, size="1", weight="medium"),
                        rx.text(f.size, size="1", color_scheme="gray"),
                        spacing="1",
                        align="center",
                    ),
                    class_name="evidence-file",
                ),
                href=f.url,
                is_external=True,
                underline="none",
            ),
        ),
        gap="2",
        wrap="wrap",
    )


def summary_card(state) -> rx.Component:  # noqa: ANN001
    d = state.detail
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Case #", d.summary.case_id, size="5"),
                status_badge(d.summary.status, d.summary.status_label),
                rx.spacer(),
                countdown(d.summary.due_at),
                align="center",
                width="100%",
            ),
            rx.grid(
                rx.text("Product", color_scheme="gray", size="2"),
                rx.text(d.summary.product, " · ", d.summary.business, size="2"),
                rx.text("Amount", color_scheme="gray", size="2"),
                rx.text(d.summary.amount, " by ", d.method, ", paid ", local_time(d.paid_at, "MMM D, YYYY"), size="2"),
                rx.text("Reason", color_scheme="gray", size="2"),
                rx.text(d.summary.reason, size="2"),
                rx.text("Opened", color_scheme="gray", size="2"),
                rx.text(local_time(d.summary.opened_at), size="2"),
                columns="140px 1fr",
                gap="2",
                width="100%",
            ),
            rx.text(d.description, size="2", white_space="pre-wrap"),
            width="100%",
        ),
        width="100%",
    )


def timeline(state) -> rx.Component:  # noqa: ANN001
    return rx.card(
        rx.vstack(
            rx.heading("Timeline", size="3"),
            rx.foreach(
                state.detail.timeline,
                lambda item: rx.hstack(
                    rx.box(
                        width="10px",
                        height="10px",
                        border_radius="50%",
                        background="var(--accent-9)",
                        margin_top="6px",
                        flex_shrink="0",
                    ),
                    rx.vstack(
                        rx.text(rx.text.strong(item.who), " ", item.text, size="2"),
                        rx.text(local_time(item.at), size="1", color_scheme="gray"),
                        rx.cond(item.detail != "", rx.text(item.detail, size="2", white_space="pre-wrap")),
                        file_links(item.files),
                        spacing="1",
                    ),
                    align="start",
                    class_name="timeline-item",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def chat(state) -> rx.Component:  # noqa: ANN001
    return rx.card(
        rx.vstack(
            rx.heading("Messages", size="3"),
            rx.cond(state.detail.chat.length() == 0, rx.text("No messages yet.", size="2", color_scheme="gray")),
            rx.foreach(
                state.detail.chat,
                lambda m: rx.box(
                    rx.text(rx.text.strong(m.who), " · ", local_time(m.at), size="1", color_scheme="gray"),
                    rx.text(m.body, size="2", white_space="pre-wrap"),
                    file_links(m.files),
                    padding="0.6em",
                    border_radius="8px",
                    background="var(--gray-a3)",
                    width="100%",
                    class_name="chat-message",
                ),
            ),
            rx.cond(
                ~state.detail.is_final,
                rx.vstack(
                    rx.text_area(
                        placeholder="Write a message", aria_label="Message", id=MESSAGE_FIELD_ID, width="100%"
                    ),
                    file_picker(MESSAGE_UPLOAD_ID),
                    rx.button(
                        "Send",
                        loading=state.busy,
                        on_click=state.send_message(picked_files(MESSAGE_UPLOAD_ID), dom_value(MESSAGE_FIELD_ID)),
                    ),
                    width="100%",
                    align="start",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _action_button(state, action: str) -> rx.Component:  # noqa: ANN001
    label, color, _, _, _ = ACTIONS[action]
    return rx.cond(
        state.detail.actions.contains(action),
        rx.button(label, color_scheme=color, on_click=state.open_action(action), type="button"),
    )


def _confirmation(state, action: str) -> rx.Component:  # noqa: ANN001
    if action == "accept":
        return rx.text(
            "This refunds ",
            rx.text.strong(state.detail.summary.amount),
            " to the buyer now. It can't be undone.",
            size="2",
            class_name="refund-confirmation",
        )
    if action == "withdraw":
        return rx.text("Withdrawing closes the case for good; it can't be reopened.", size="2")
    return rx.text("Are you sure? This can't be undone.", size="2")


def _action_form(state, action: str) -> rx.Component:  # noqa: ANN001
    label, color, needs_text, text_label, accepts_files = ACTIONS[action]
    return rx.cond(
        state.pending_action == action,
        rx.card(
            rx.vstack(
                rx.heading(label, size="3"),
                rx.cond(
                    needs_text,
                    rx.text_area(placeholder=text_label, aria_label=text_label, id=ACTION_FIELD_ID, width="100%"),
                    _confirmation(state, action),
                ),
                file_picker(ACTION_UPLOAD_ID) if accepts_files else rx.fragment(),
                rx.hstack(
                    rx.button(
                        f"Confirm: {label}",
                        color_scheme=color,
                        loading=state.busy,
                        on_click=state.take_action(picked_files(ACTION_UPLOAD_ID), dom_value(ACTION_FIELD_ID)),
                    ),
                    rx.button("Cancel", variant="soft", color_scheme="gray", on_click=state.close_action),
                ),
                width="100%",
            ),
            width="100%",
        ),
    )


def actions_panel(state, actions: list[str]) -> rx.Component:  # noqa: ANN001
    return rx.cond(
        state.detail.actions.length() > 0,
        rx.card(
            rx.vstack(
                rx.heading("What you can do", size="3"),
                rx.flex(*[_action_button(state, a) for a in actions], gap="2", wrap="wrap"),
                *[_action_form(state, a) for a in actions],
                width="100%",
            ),
            width="100%",
        ),
    )


def case_page_body(state, actions: list[str], *sections: rx.Component) -> rx.Component:  # noqa: ANN001
    """The case page; `sections` (a portal's own, like the creator's customer card) follow the summary."""
    return rx.cond(
        state.detail,
        rx.vstack(
            error_callout(state.error),
            notice_callout(state.notice),
            summary_card(state),
            actions_panel(state, actions),
            *sections,
            timeline(state),
            chat(state),
            width="100%",
            spacing="4",
        ),
        rx.cond(state.not_found, rx.callout("Case not found.", icon="search-x", color_scheme="gray"), rx.spinner()),
    )
