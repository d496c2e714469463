"""What a person is told once their move went through: what happened, in words, never just "Done."."""

from resolution_app.domain.enums import CaseAction, Outcome
from resolution_app.domain.lifecycle import Transition

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
        A.REQUEST_BUYER_INFO: "Question sent to the buyer. Their answer brings the case back to the queue.",
        A.REQUEST_MERCHANT_INFO: "Question sent to the creator. Their answer brings the case back to the queue.",
        A.DECIDE_REFUND: "Decision recorded: the buyer wins. Both sides can read your rationale.",
        A.DECIDE_CREDIT: "Decision recorded: the buyer wins a balance credit. Both sides can read your rationale.",
        A.DECIDE_MERCHANT_WINS: "Decision recorded: the creator wins. Both sides can read your rationale.",
    }
    return messages.get(action, "Your answer has been recorded.")


def claim_outcome(*, refunded: bool, amount: str, method: str, business: str) -> str:
    """After a claim is submitted: an auto-refund says so; otherwise who answers next (the banner says by when)."""
    if refunded:
        return f"{amount} refunded to your {method} payment. Nothing more to do."
    return f"Claim sent to {business}. They answer here; the banner above says by when and what happens if they don't."


def money_moved(decision: Transition, amount: str) -> str:
    """What a reviewer's decision will do with money, said before they confirm it."""
    if decision.pay_out == Outcome.REFUND:
        said = f"{amount} is refunded to the buyer now, at the creator's cost."
    elif decision.pay_out == Outcome.CREDIT:
        said = f"The buyer gets {amount} as platform balance now; the creator pays nothing."
    elif decision.reimburse_creator:
        said = f"The buyer keeps the {amount} refund; the platform reimburses the creator {amount}."
    elif decision.before.paid_out:
        said = f"No more money moves: the buyer already has {amount} back."
    else:
        said = "No money moves: the creator keeps the payment."
    if decision.before.appealed:
        return f"{said} This decides the appeal: it is final."
    return f"{said} The side that loses may appeal once, within 7 days."
