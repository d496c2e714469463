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
        A.DECIDE_PARTIAL_REFUND: "Decision recorded: a partial refund. Both sides can read your rationale.",
        A.OFFER_PARTIAL_REFUND: f"Offer sent to {buyer}. It stays open until they answer or the case moves on.",
        A.PROPOSE_PARTIAL_REFUND: "Proposal sent to the creator. It stays open until they answer or the case moves on.",
        A.ACCEPT_OFFER: "Offer accepted: the partial refund is on its way and the case is closed.",
        A.DECLINE_OFFER: "Offer declined. The case goes on where it was.",
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
    elif decision.pay_out == Outcome.PARTIAL_REFUND:
        said = f"The amount you enter (less than {amount}) is refunded to the buyer now, at the creator's cost."
    elif decision.pay_out == Outcome.CREDIT:
        said = f"The buyer gets {amount} as platform balance now; the creator pays nothing."
    elif decision.reimburse_creator and decision.before.paid_partial:
        said = "The buyer keeps the partial refund; the platform reimburses the creator the same amount."
    elif decision.reimburse_creator:
        said = f"The buyer keeps the {amount} refund; the platform reimburses the creator {amount}."
    elif decision.before.paid_partial:
        said = "No more money moves: the buyer keeps the partial refund they already have."
    elif decision.before.paid_out:
        said = f"No more money moves: the buyer already has {amount} back."
    else:
        said = "No money moves: the creator keeps the payment."
    if decision.before.appealed:
        return f"{said} This decides the appeal: it is final."
    return f"{said} The side that loses may appeal once, within 7 days."
