"""All tables; importing this package registers them on SQLModel.metadata."""

from resolution_app.models.accounts import LoginThrottle, User, UserSession
from resolution_app.models.cases import (
    Appeal,
    Attachment,
    BalanceCredit,
    Case,
    CaseEvent,
    Message,
    PlatformReimbursement,
    Refund,
    RefundOffer,
    ReviewNote,
)
from resolution_app.models.commerce import (
    AutoRespondSettings,
    Business,
    BusinessMember,
    LegalDocument,
    Payment,
    Product,
    UserLog,
)
from resolution_app.models.developers import (
    ApiKey,
    ApiRequestCount,
    IdempotentRequest,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from resolution_app.models.notifications import Notification, OutboundEmail
from resolution_app.models.preferences import TablePreference
from resolution_app.models.saved_replies import SavedReply

__all__ = [
    "ApiKey",
    "ApiRequestCount",
    "Appeal",
    "Attachment",
    "AutoRespondSettings",
    "BalanceCredit",
    "Business",
    "BusinessMember",
    "Case",
    "CaseEvent",
    "IdempotentRequest",
    "LegalDocument",
    "LoginThrottle",
    "Message",
    "Notification",
    "OutboundEmail",
    "Payment",
    "PlatformReimbursement",
    "Product",
    "Refund",
    "RefundOffer",
    "ReviewNote",
    "SavedReply",
    "TablePreference",
    "User",
    "UserLog",
    "UserSession",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
