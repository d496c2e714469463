"""The case workspace shared by the portals: the next step on top; the conversation (claim, moves and messages as
one thread, the actions, the composer) in the main column; the case's context beside it (below it on a phone)."""

import reflex as rx

from resolution_app.components.file_picker import file_picker, picked_files
from resolution_app.components.layout import (
    absolute_time,
    countdown,
    dom_value,
    error_callout,
    field_label,
    link_button,
    local_time,
    notice_callout,
    placeholder,
)
from resolution_app.domain.enums import AMOUNT_ACTIONS, DECISIONS, OFFER_ANSWERS, CaseAction
from resolution_app.state.case_page import (
    ACTION_FIELD_ID,
    ACTION_UPLOAD_ID,
    AMOUNT_FIELD_ID,
    MESSAGE_FIELD_ID,
    MESSAGE_UPLOAD_ID,
)

STATUS_COLORS = {
    "merchant_response_needed": "amber",
    "customer_info_needed": "blue",
    "customer_response_needed": "blue",
    "under_platform_review": "purple",
    "merchant_info_needed": "amber",
    "customer_won": "green",
    "merchant_won": "gray",
    "customer_withdrew": "gray",
    "partially_refunded": "teal",
}
STATUS_ICONS = {  # statuses are told apart by more than colour
    "merchant_response_needed": "hourglass",
    "customer_info_needed": "message-circle-question",
    "customer_response_needed": "message-circle-question",
    "under_platform_review": "scale",
    "merchant_info_needed": "message-circle-question",
    "customer_won": "circle-check",
    "merchant_won": "circle-x",
    "customer_withdrew": "undo-2",
    "partially_refunded": "circle-dollar-sign",
}


# action value → (button label, colour, needs text, text label, accepts files). Replies go from the composer.
ACTIONS: dict[str, tuple[str, str, bool, str, bool]] = {
    "accept": ("Accept", "green", False, "", False),
    "request_more_info": ("Request more info", "blue", True, "Question for the buyer", True),
    "deny": ("Deny", "red", True, "Explain why you deny the claim", True),
    "escalate": ("Escalate to platform", "purple", True, "Why you disagree with the creator", True),
    "appeal": ("Appeal", "orange", True, "Appeal statement", True),
    "withdraw": ("Withdraw", "gray", False, "", False),
    "request_buyer_info": ("Request info from buyer", "blue", True, "Question for the buyer", False),
    "request_merchant_info": ("Request info from creator", "blue", True, "Question for the creator", False),
    "decide_refund": ("Refund (creator pays)", "green", True, "Rationale", False),
    "decide_credit": ("Credit buyer balance", "green", True, "Rationale", False),
    "decide_merchant_wins": ("Creator wins", "gray", True, "Rationale", False),
    "decide_partial_refund": ("Partial refund", "green", True, "Rationale", False),
    "offer_partial_refund": ("Offer partial refund", "blue", True, "Message to the buyer (optional)", False),
    "propose_partial_refund": ("Propose partial refund", "blue", True, "Message to the creator (optional)", False),
    "accept_offer": ("Accept offer", "green", False, "", False),
    "decline_offer": ("Decline offer", "gray", False, "", False),
}
APART = frozenset({"deny", "withdraw"})  # destructive: set apart from the others
# Answers to an offer: their buttons sit on the pinned offer, their forms with the rest.
ANSWERS = [action.value for action in CaseAction if action in OFFER_ANSWERS]
AMOUNTS = frozenset(AMOUNT_ACTIONS)  # their forms may ask how much (the case's amount_actions say when)


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return rx.badge(
        rx.match(status, *[(key, rx.icon(icon, size=12)) for key, icon in STATUS_ICONS.items()], rx.fragment()),
        label,
        color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"),
        high_contrast=True,
        size="2",
        class_name="status-badge",
    )


def case_button(case_id: rx.Var, waiting_on_creator: rx.Var) -> rx.Component:
    """A creator's way from a list to a case: "Respond" while it waits on them, else "View details"."""
    return link_button(
        rx.cond(waiting_on_creator, "Respond", "View details"),
        href=f"/creator/resolutions/{case_id}",
        size="1",
        variant=rx.cond(waiting_on_creator, "solid", "outline"),
    )


def file_links(files: rx.Var, *, with_source: bool = False) -> rx.Component:
    """Files as tiles (images as thumbnails); `with_source` adds whose each one is and when it came (the
    reviewer's evidence gallery)."""
    return rx.flex(
        rx.foreach(
            files,
            lambda f: rx.link(
                rx.cond(
                    f.is_image,
                    rx.image(src=f.url, max_width="160px", max_height="120px", object_fit="contain", alt=""),
                    rx.icon("file-text", size=28),
                ),
                rx.text(f.name, size="1", weight="medium", class_name="file-name"),
                rx.text(f.size, size="1", color_scheme="gray"),
                rx.text(f.by, " · ", local_time(f.added_at, "MMM D"), size="1", class_name="file-source")
                if with_source
                else rx.fragment(),
                href=f.url,
                is_external=True,
                underline="none",
                class_name="evidence-file",
            ),
        ),
        spacing="2",
        wrap="wrap",
    )


def next_step_banner(state) -> rx.Component:  # noqa: ANN001
    step = state.detail.next_step
    return rx.callout.root(
        rx.callout.icon(
            rx.match(step.tone, ("act", rx.icon("circle-alert")), ("wait", rx.icon("clock")), rx.icon("lock"))
        ),
        rx.vstack(
            rx.text(step.headline, weight="bold", size="3", class_name="next-step-headline"),
            rx.cond(
                step.deadline,
                rx.text(
                    rx.cond(
                        step.tone == "act",
                        rx.fragment("If you don't ", step.verb, " by ", absolute_time(step.deadline), ", "),
                        rx.fragment(
                            "Waiting on ",
                            step.waiting_on,
                            " until ",
                            absolute_time(step.deadline),
                            ". If they don't ",
                            step.verb,
                            ", ",
                        ),
                    ),
                    step.consequence,
                    ".",
                    size="2",
                    class_name="next-step-deadline",
                ),
            ),
            rx.cond(step.deadline, countdown(step.deadline)),
            rx.cond(
                step.review_target,
                rx.text(
                    rx.cond(
                        step.review_late,
                        rx.fragment(
                            "Reviewers aimed to decide by ",
                            absolute_time(step.review_target),
                            ": this case is taking longer than usual.",
                        ),
                        rx.fragment("Reviewers aim to decide by ", absolute_time(step.review_target), "."),
                    ),
                    size="2",
                ),
            ),
            spacing="1",
        ),
        color_scheme=rx.match(step.tone, ("act", "amber"), ("wait", "blue"), "gray"),
        high_contrast=True,  # the soft callout colours fall short of 4.5:1
        width="100%",
        class_name="next-step",
        role="status",
    )


def _body(state, item) -> rx.Component:  # noqa: ANN001
    folded = item.is_long & ~state.unfolded.contains(item.key)
    return rx.fragment(
        rx.box(
            rx.foreach(
                item.body,
                lambda part: rx.cond(
                    part.url != "",
                    rx.link(
                        part.text,
                        href=part.url,
                        is_external=True,
                        custom_attrs={"rel": "noopener noreferrer nofollow"},
                    ),
                    rx.text.span(part.text),
                ),
            ),
            class_name=rx.cond(folded, "thread-body folded", "thread-body"),
        ),
        rx.cond(
            item.is_long,
            rx.button(
                rx.cond(folded, "Show more", "Show less"),
                variant="ghost",
                size="1",
                on_click=state.toggle_fold(item.key),
                type="button",
            ),
        ),
    )


def _thread_item(state, item) -> rx.Component:  # noqa: ANN001
    return rx.box(
        rx.flex(
            rx.text(rx.text.strong(item.who), rx.cond(item.is_message, "", rx.fragment(" ", item.text)), size="2"),
            rx.text(local_time(item.at), size="1", color_scheme="gray"),
            justify="between",
            spacing="2",
            wrap="wrap",
        ),
        rx.cond(item.body.length() > 0, _body(state, item)),
        file_links(item.files),
        class_name=rx.cond(
            item.is_message,
            rx.cond(item.party == state.party, "thread-item chat-message mine", "thread-item chat-message"),
            "thread-item timeline-item",
        ),
    )


def thread(state) -> rx.Component:  # noqa: ANN001
    return rx.vstack(
        rx.heading("Conversation", size="3"),
        rx.foreach(state.detail.thread, lambda item: _thread_item(state, item)),
        spacing="3",
        width="100%",
        class_name="case-thread",
    )


def _action_button(state, action: str) -> rx.Component:  # noqa: ANN001
    label, color, _, _, _ = ACTIONS[action]
    variant = "soft" if action in APART else "solid"
    return rx.cond(
        state.detail.actions.contains(action),
        rx.button(
            label,
            color_scheme=color,
            variant=variant,
            high_contrast=True,  # white on Radix's mid green or blue falls short of 4.5:1
            on_click=state.open_action(action),
            type="button",
        ),
    )


def _confirmation(state, action: str) -> rx.Component:  # noqa: ANN001
    offer = state.detail.offer
    if action == "accept_offer":
        return rx.text(
            "This refunds ",
            rx.text.strong(offer.amount),
            " of ",
            state.detail.summary.amount,
            " and closes the case for good.",
            size="2",
            class_name="refund-confirmation",
        )
    if action == "decline_offer":
        return rx.text("The offer goes off the table; the case goes on where it was.", size="2")
    if action == "accept":
        return rx.text(
            "This refunds ",
            rx.text.strong(state.detail.summary.amount),
            " to ",
            state.detail.summary.buyer,
            " now. It can't be undone.",
            size="2",
            class_name="refund-confirmation",
        )
    return rx.text(
        "Withdrawing closes the case for good: the payment will not be refunded, and the case can't be reopened.",
        size="2",
    )


def _action_form(state, action: str) -> rx.Component:  # noqa: ANN001
    label, color, needs_text, text_label, accepts_files = ACTIONS[action]
    return rx.cond(
        state.pending_action == action,
        rx.card(
            rx.vstack(
                rx.heading(label, size="3"),
                rx.cond(state.detail.amount_actions.contains(action), _amount_field(state))
                if action in AMOUNTS
                else rx.fragment(),
                rx.text_area(placeholder=text_label, aria_label=text_label, id=ACTION_FIELD_ID, width="100%", rows="4")
                if needs_text
                else _confirmation(state, action),
                rx.text(state.detail.decision_money[action], size="2", class_name="decision-money")
                if action in DECISIONS
                else rx.fragment(),
                file_picker(ACTION_UPLOAD_ID, "Add proof") if accepts_files else rx.fragment(),
                rx.flex(
                    rx.button(
                        f"Confirm: {label}",
                        color_scheme=color,
                        high_contrast=True,
                        loading=state.busy,
                        on_click=state.take_amount_action(
                            picked_files(ACTION_UPLOAD_ID), dom_value(ACTION_FIELD_ID), dom_value(AMOUNT_FIELD_ID)
                        )
                        if action in AMOUNTS
                        else state.take_action(picked_files(ACTION_UPLOAD_ID), dom_value(ACTION_FIELD_ID)),
                    ),
                    rx.button("Cancel", variant="soft", color_scheme="gray", on_click=state.close_action),
                    spacing="2",
                    wrap="wrap",
                ),
                width="100%",
            ),
            width="100%",
            class_name="action-form",
        ),
    )


def _amount_field(state) -> rx.Component:  # noqa: ANN001
    return rx.vstack(
        field_label("Amount", AMOUNT_FIELD_ID),
        rx.input(id=AMOUNT_FIELD_ID, input_mode="decimal", placeholder="8.00", width="12em"),
        rx.text("Less than the payment of ", state.detail.summary.amount, ".", size="1", color_scheme="gray"),
        spacing="1",
    )


def _pinned_offer(state) -> rx.Component:  # noqa: ANN001
    """The partial refund on the table, with the answers this viewer may give (the other side's)."""
    offer = state.detail.offer
    return rx.cond(
        offer,
        rx.box(
            rx.hstack(
                rx.icon("hand-coins", size=16, aria_hidden="true"),
                rx.text(
                    offer.by,
                    " offers a partial refund of ",
                    rx.text.strong(offer.amount),
                    " of ",
                    state.detail.summary.amount,
                    size="2",
                ),
                align="center",
                spacing="2",
                wrap="wrap",
            ),
            rx.cond(offer.message != "", rx.text(offer.message, size="2", class_name="thread-body")),
            rx.text(
                "Made ",
                local_time(offer.made_at, "MMM D, HH:mm"),
                rx.cond(offer.lapses_at, rx.fragment("; open until ", absolute_time(offer.lapses_at))),
                ". Accepting refunds this amount and closes the case; declining leaves it where it is.",
                size="1",
                color_scheme="gray",
            ),
            rx.flex(*[_action_button(state, a) for a in ANSWERS], spacing="2", wrap="wrap"),
            class_name="pinned-offer",
        ),
    )


def actions_bar(state, actions: list[str]) -> rx.Component:  # noqa: ANN001
    """The decisions this viewer may take, after the evidence they are about; destructive ones set apart. Answers
    to an offer sit on the offer itself."""
    chosen = [a for a in (*actions, *ANSWERS) if a in ACTIONS]
    return rx.cond(
        state.detail.actions.length() > 0,
        rx.vstack(
            rx.flex(
                *[_action_button(state, a) for a in chosen if a not in APART and a not in ANSWERS],
                rx.spacer(),
                *[_action_button(state, a) for a in chosen if a in APART],
                spacing="3",
                wrap="wrap",
                width="100%",
                class_name="case-actions",
            ),
            *[_action_form(state, a) for a in chosen],
            width="100%",
        ),
    )


def _pinned_question(state) -> rx.Component:  # noqa: ANN001
    question = state.detail.question
    return rx.box(
        rx.hstack(
            rx.icon("pin", size=14, aria_hidden="true"),
            rx.text("Question from ", question.asked_by, ", ", local_time(question.asked_at, "MMM D"), size="1"),
            align="center",
            spacing="1",
            class_name="pinned-question-title",
        ),
        rx.text(question.text, size="2", class_name="thread-body"),
        rx.cond(
            state.detail.next_step.deadline,
            rx.text("Reply by ", absolute_time(state.detail.next_step.deadline), ".", size="1", color_scheme="gray"),
        ),
        class_name="pinned-question",
    )


def composer(state, tools: rx.Component | None = None) -> rx.Component:  # noqa: ANN001
    """One box: while a question waits on me, what I send from here is my reply (with its files). `tools` (the
    creator's "Insert saved reply") sit above the box and fill it."""
    replying = state.detail.question.is_not_none()
    return rx.cond(
        ~state.detail.is_final,
        rx.vstack(
            rx.cond(replying, _pinned_question(state)),
            rx.flex(tools, justify="end", width="100%", class_name="composer-tools") if tools else rx.fragment(),
            rx.text_area(
                placeholder=rx.cond(replying, "Write your reply", "Write a message"),
                aria_label=rx.cond(replying, "Your reply", "Message"),
                id=MESSAGE_FIELD_ID,
                width="100%",
                rows="3",
            ),
            rx.flex(
                rx.box(file_picker(MESSAGE_UPLOAD_ID), flex="1", min_width="0"),
                rx.button(
                    rx.icon("send", size=16),
                    rx.cond(replying, "Send reply", "Send"),
                    loading=state.busy,
                    on_click=state.send(picked_files(MESSAGE_UPLOAD_ID), dom_value(MESSAGE_FIELD_ID)),
                    class_name="send-button",
                ),
                justify="between",
                align="start",
                spacing="3",
                width="100%",
                wrap="wrap",
            ),
            width="100%",
            class_name="composer",
        ),
    )


def case_facts(state) -> rx.Component:  # noqa: ANN001
    d = state.detail
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading("Case #", d.summary.case_id, size="4"),
                status_badge(d.summary.status, d.summary.status_label),
                justify="between",
                align="center",
                spacing="2",
                wrap="wrap",
                width="100%",
            ),
            rx.el.dl(
                *[
                    rx.fragment(rx.el.dt(term), rx.el.dd(value))
                    for term, value in (
                        ("Amount", d.summary.amount),
                        ("Product", rx.fragment(d.summary.product, " · ", d.summary.business)),
                        ("Payment", rx.fragment(d.method, ", paid ", local_time(d.paid_at, "MMM D, YYYY"))),
                        ("Buyer", d.summary.buyer),
                        ("Reason", d.summary.reason),
                        ("Opened", local_time(d.summary.opened_at)),
                    )
                ],
                class_name="facts",
            ),
            rx.cond(
                d.money.length() > 0,
                rx.vstack(
                    rx.heading("Money", size="2"),
                    rx.foreach(
                        d.money,
                        lambda line: rx.text(
                            line.text, " · ", local_time(line.at, "MMM D, YYYY"), size="2", class_name="money-line"
                        ),
                    ),
                    spacing="1",
                    width="100%",
                ),
            ),
            rx.cond(
                d.files.length() > 0,
                rx.vstack(rx.heading("Files", size="2"), file_links(d.files), spacing="2", width="100%"),
            ),
            width="100%",
        ),
        width="100%",
    )


def case_workspace(
    state,  # noqa: ANN001
    actions: list[str],
    *context: rx.Component,
    lead: rx.Component | None = None,
    composer_tools: rx.Component | None = None,
) -> rx.Component:
    """The case page; `context` (a portal's own cards, like the creator's customer) follows the case facts,
    `lead` (the reviewer's statements and evidence) comes before the conversation, and `composer_tools` go with
    the message box."""
    return rx.cond(
        state.detail,
        rx.vstack(
            next_step_banner(state),
            error_callout(state.error),
            notice_callout(state.notice),
            rx.box(
                rx.vstack(
                    lead or rx.fragment(),
                    thread(state),
                    _pinned_offer(state),
                    actions_bar(state, actions),
                    composer(state, composer_tools),
                    spacing="4",
                    class_name="case-main",
                ),
                rx.vstack(case_facts(state), *context, spacing="4", class_name="case-context"),
                class_name="case-workspace",
            ),
            width="100%",
            spacing="4",
        ),
        rx.cond(
            state.not_found,
            rx.callout("Case not found.", icon="search-x", color_scheme="gray"),
            placeholder("Loading the case"),
        ),
    )
