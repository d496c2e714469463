"""What a person is told once their move went through: what happened, in words, never just "Done."."""

from resolution_app.domain.enums import CaseAction

A = CaseAction


def done_message(action: str, *, amount: str, buyer: str, asked_by: str = "the creator") -> str:
    """After `action` on a case of `amount` from `buyer`; `asked_by` is who a reply answers."""
    messages = {
        A.ACCEPT: f"Refund of {amount} sent to {buyer}.",
        A.DENY: f"Claim denied. {buyer} can escalate it to the platform, or withdraw it.",
        A.REQUEST_MORE_INFO: f"Question sent to {buyer}. The case waits on their reply.",
        A.REPLY: f"Reply sent to {asked_by}. The case is back with them.",
        A.ESCALATE: "Escalated. The platform will review the case and decide.",
        A.APPEAL: "Appeal sent. A different reviewer will look at the case again.",
        A.WITHDRAW: f"Case withdrawn. The payment of {amount} will not be refunded.",
    }
    return messages.get(action, "Your answer has been recorded.")


def claim_outcome(*, refunded: bool, amount: str, method: str, business: str) -> str:
    """After a claim is submitted: an auto-refund says so; otherwise who answers next (the banner says by when)."""
    if refunded:
        return f"{amount} refunded to your {method} payment. Nothing more to do."
    return f"Claim sent to {business}. They answer here; the banner above says by when and what happens if they don't."
