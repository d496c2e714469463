"""Every number the rules use, in one place. They are code, not settings: changing one is a reviewed change."""

from dataclasses import dataclass, field
from datetime import timedelta

from resolution_app.domain.enums import PaymentMethod

MB = 1024 * 1024


@dataclass(frozen=True)
class Policy:
    claim_window: timedelta = timedelta(days=120)
    creator_response_time: timedelta = timedelta(days=7)
    buyer_info_time: timedelta = timedelta(days=7)
    escalation_time: timedelta = timedelta(days=7)
    appeal_time: timedelta = timedelta(days=7)
    creator_info_time: timedelta = timedelta(days=7)
    review_target_business_days: int = 2
    review_claim_idle_limit: timedelta = timedelta(hours=4)  # then another reviewer may take the case over
    description_min_chars: int = 20
    description_max_chars: int = 5000
    message_max_chars: int = 5000
    rationale_max_chars: int = 10_000  # a reviewer's decision, read by both sides
    auto_respond_message_max_chars: int = 2000
    saved_reply_name_max_chars: int = 80  # a saved reply's text may be as long as a message
    saved_replies_shown: int = 50  # at most this many at once on the settings page and in the composer's picker
    legal_text_max_chars: int = 100_000
    max_files_per_submission: int = 3
    max_file_bytes: int = 50 * MB
    # What one case may hold, however it is sent: evidence in all, and a party's pace in the chat.
    max_files_per_case: int = 30
    max_messages_per_party: int = 20
    message_window: timedelta = timedelta(minutes=10)
    # Content types recognised by their magic bytes, never by name or browser claim.
    allowed_content_types: frozenset[str] = frozenset(
        {
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "application/pdf",
            "video/mp4",
            "video/quicktime",
            "video/webm",
        }
    )
    financing_methods: frozenset[PaymentMethod] = frozenset(
        {
            PaymentMethod.SPLITIT,
            PaymentMethod.SEZZLE,
            PaymentMethod.KLARNA,
            PaymentMethod.AFTERPAY,
            PaymentMethod.ZIP,
        }
    )
    never_eligible_methods: frozenset[PaymentMethod] = field(default_factory=lambda: frozenset({PaymentMethod.CRYPTO}))
    # Upper bound for an auto-refund threshold, in major units of any currency.
    auto_refund_max_major: int = 10_000
    # Failed log-ins: free tries, then each failure doubles the wait (2 s, 4 s, 8 s …) up to the cap. One address
    # guessing one account is slowed soon; an address trying many accounts a little later; the owner's own address
    # is never slowed by someone else's guesses. Counts are forgotten after a quiet day.
    login_free_failures_per_account_and_address: int = 5
    login_free_failures_per_address: int = 20
    login_max_wait: timedelta = timedelta(minutes=15)
    login_failures_forgotten_after: timedelta = timedelta(days=1)
    # Notifications. Chat messages are emailed at most once per window, per case and person, as one digest.
    chat_email_window: timedelta = timedelta(minutes=15)
    deadline_reminder_lead: timedelta = timedelta(hours=24)  # the waiting party is reminded this long before
    # An email the server refuses for now waits 30 s, 1 min, 2 min … up to the cap between tries; past the give-up
    # age it is recorded as failed. A server down for an hour loses nothing, and its mail goes out minutes after.
    email_first_retry: timedelta = timedelta(seconds=30)
    email_max_retry: timedelta = timedelta(minutes=10)
    email_give_up_after: timedelta = timedelta(days=3)
    email_quote_max_chars: int = 1500  # the other side's words in an email; the case page has them whole
    # The public API: requests per key per minute, across all workers; a repeat with an Idempotency-Key gets the
    # first answer for a day.
    api_requests_per_minute: int = 120
    api_idempotency_kept: timedelta = timedelta(hours=24)
    # Webhooks: a delivery is tried again after each pause (the last over a day after the first try), and an
    # endpoint that has failed for the disable age is turned off, its owner told.
    webhook_retry_pauses: tuple[timedelta, ...] = tuple(
        timedelta(minutes=minutes) for minutes in (1, 5, 30, 120, 300, 600, 600)
    )
    webhook_disable_after: timedelta = timedelta(days=3)
    webhook_timeout_seconds: float = 10.0
    # The buyer's history on a case page: their claims across the platform within the window (counts only), and
    # the "Frequent claimant" mark once they reach this many.
    claim_history_window: timedelta = timedelta(days=365)
    frequent_claimant_claims: int = 5


DEFAULT_POLICY = Policy()
