"""The vocabulary of the Resolution Center, shared by every layer."""

from enum import StrEnum


class Party(StrEnum):
    BUYER = "buyer"
    CREATOR = "creator"
    REVIEWER = "reviewer"
    SYSTEM = "system"  # deadlines and auto-respond act as the platform itself


class CaseStatus(StrEnum):
    MERCHANT_RESPONSE_NEEDED = "merchant_response_needed"
    CUSTOMER_INFO_NEEDED = "customer_info_needed"
    CUSTOMER_RESPONSE_NEEDED = "customer_response_needed"
    UNDER_PLATFORM_REVIEW = "under_platform_review"
    MERCHANT_INFO_NEEDED = "merchant_info_needed"
    CUSTOMER_WON = "customer_won"
    MERCHANT_WON = "merchant_won"
    CUSTOMER_WITHDREW = "customer_withdrew"
    PARTIALLY_REFUNDED = "partially_refunded"  # settled on part of the money: an accepted offer or a reviewer's call


STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.MERCHANT_RESPONSE_NEEDED: "Waiting on creator",
    CaseStatus.CUSTOMER_INFO_NEEDED: "Waiting on buyer (info requested)",
    CaseStatus.CUSTOMER_RESPONSE_NEEDED: "Waiting on buyer (denied)",
    CaseStatus.UNDER_PLATFORM_REVIEW: "Under platform review",
    CaseStatus.MERCHANT_INFO_NEEDED: "Waiting on creator (info requested by platform)",
    CaseStatus.CUSTOMER_WON: "Buyer won",
    CaseStatus.MERCHANT_WON: "Creator won",
    CaseStatus.CUSTOMER_WITHDREW: "Withdrawn",
    CaseStatus.PARTIALLY_REFUNDED: "Resolved: partial refund",
}

CLOSED_STATUSES = frozenset(
    {CaseStatus.CUSTOMER_WON, CaseStatus.MERCHANT_WON, CaseStatus.CUSTOMER_WITHDREW, CaseStatus.PARTIALLY_REFUNDED}
)


class CaseAction(StrEnum):
    # creator
    ACCEPT = "accept"
    DENY = "deny"
    REQUEST_MORE_INFO = "request_more_info"
    # buyer
    WITHDRAW = "withdraw"
    ESCALATE = "escalate"
    # buyer (info asked by creator or reviewer) and creator (info asked by reviewer)
    REPLY = "reply"
    # the side that lost a platform decision
    APPEAL = "appeal"
    # reviewer
    REQUEST_BUYER_INFO = "request_buyer_info"
    REQUEST_MERCHANT_INFO = "request_merchant_info"
    DECIDE_REFUND = "decide_refund"
    DECIDE_CREDIT = "decide_credit"
    DECIDE_MERCHANT_WINS = "decide_merchant_wins"
    DECIDE_PARTIAL_REFUND = "decide_partial_refund"
    # partial-refund offers, while the case waits on the creator or the buyer: either side offers, the other answers
    OFFER_PARTIAL_REFUND = "offer_partial_refund"  # the creator's
    PROPOSE_PARTIAL_REFUND = "propose_partial_refund"  # the buyer's
    ACCEPT_OFFER = "accept_offer"
    DECLINE_OFFER = "decline_offer"
    # system
    AUTO_REFUND = "auto_refund"
    EXPIRE = "expire"


DECISIONS = frozenset(
    {
        CaseAction.DECIDE_REFUND,
        CaseAction.DECIDE_CREDIT,
        CaseAction.DECIDE_MERCHANT_WINS,
        CaseAction.DECIDE_PARTIAL_REFUND,
    }
)
OFFERS = frozenset({CaseAction.OFFER_PARTIAL_REFUND, CaseAction.PROPOSE_PARTIAL_REFUND})
OFFER_ANSWERS = frozenset({CaseAction.ACCEPT_OFFER, CaseAction.DECLINE_OFFER})  # the other side's
# The moves that name an amount of money: an offer, or a reviewer's partial refund.
AMOUNT_ACTIONS = OFFERS | {CaseAction.DECIDE_PARTIAL_REFUND}


class Outcome(StrEnum):
    """How a closed case ended for the money."""

    REFUND = "refund"  # paid by the creator through the gateway
    CREDIT = "credit"  # platform balance credit, no cost to the creator
    MERCHANT_WINS = "merchant_wins"
    WITHDRAWN = "withdrawn"
    PARTIAL_REFUND = "partial_refund"  # part of the payment, paid by the creator through the gateway


class OfferState(StrEnum):
    """A partial-refund offer's life: on the table until answered, replaced by a counter-offer, or lapsed."""

    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REPLACED = "replaced"  # a newer offer took its place
    LAPSED = "lapsed"  # the case moved on, or the deadline it was made under passed


class Reason(StrEnum):
    PRODUCT_UNACCEPTABLE = "product_unacceptable"
    PRODUCT_NOT_RECEIVED = "product_not_received"
    NOT_AS_DESCRIBED = "not_as_described"
    CANCELED_BEFORE_PAYMENT = "canceled_before_payment"
    UNAUTHORIZED_TRANSACTION = "unauthorized_transaction"


REASON_LABELS: dict[Reason, str] = {
    Reason.PRODUCT_UNACCEPTABLE: "Product unacceptable",
    Reason.PRODUCT_NOT_RECEIVED: "Product not received",
    Reason.NOT_AS_DESCRIBED: "Product not as described",
    Reason.CANCELED_BEFORE_PAYMENT: "Canceled before payment",
    Reason.UNAUTHORIZED_TRANSACTION: "Unauthorized transaction",
}


class PaymentMethod(StrEnum):
    CARD = "card"
    PAYPAL = "paypal"
    CRYPTO = "crypto"
    SPLITIT = "splitit"
    SEZZLE = "sezzle"
    KLARNA = "klarna"
    AFTERPAY = "afterpay"
    ZIP = "zip"


PAYMENT_METHOD_LABELS: dict[PaymentMethod, str] = {
    PaymentMethod.CARD: "Card",
    PaymentMethod.PAYPAL: "PayPal",
    PaymentMethod.CRYPTO: "Crypto",
    PaymentMethod.SPLITIT: "Splitit",
    PaymentMethod.SEZZLE: "Sezzle",
    PaymentMethod.KLARNA: "Klarna",
    PaymentMethod.AFTERPAY: "Afterpay",
    PaymentMethod.ZIP: "Zip",
}


class PaymentStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PENDING = "pending"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


PAYMENT_STATUS_LABELS: dict[PaymentStatus, str] = {
    PaymentStatus.SUCCEEDED: "Succeeded",
    PaymentStatus.FAILED: "Failed",
    PaymentStatus.PENDING: "Pending",
    PaymentStatus.REFUNDED: "Refunded",
    PaymentStatus.PARTIALLY_REFUNDED: "Partially refunded",
}


class MemberRole(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"  # may answer cases
    VIEWER = "viewer"  # may read cases only


class ApiScope(StrEnum):
    READ = "read"
    READ_WRITE = "read_write"  # also accepts, denies, asks and writes, as a manager would


API_SCOPE_LABELS = {ApiScope.READ: "Read", ApiScope.READ_WRITE: "Read and write"}


class UserLogKind(StrEnum):
    BOUGHT_ACCESS = "bought_access"
    AGREED_TERMS = "agreed_terms"
    AGREED_REFUND_POLICY = "agreed_refund_policy"
    CLAIMED_ACCESS = "claimed_access"
    USED_APP = "used_app"
    JOINED_COMMUNITY = "joined_community"
    CANCELED = "canceled"


class LegalDocumentKind(StrEnum):
    TERMS_OF_SERVICE = "terms_of_service"
    REFUND_POLICY = "refund_policy"
