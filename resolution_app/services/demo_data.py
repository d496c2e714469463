"""The demo data of DESIGN §9, seeded once (running it again changes nothing)."""

from datetime import datetime, timedelta
from functools import cache

from sqlmodel import Session, select

from resolution_app.domain.enums import (
    CaseAction,
    LegalDocumentKind,
    MemberRole,
    Party,
    PaymentMethod,
    PaymentStatus,
    UserLogKind,
)
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.infra.passwords import hash_password
from resolution_app.models import (
    Business,
    BusinessMember,
    Case,
    LegalDocument,
    Payment,
    Product,
    SavedReply,
    User,
    UserLog,
)
from resolution_app.services.accounts import add_user
from resolution_app.services.cases import case_actions, claims
from resolution_app.services.cases.deadlines import expire_case
from resolution_app.services.review import claims as review_claims

DEMO_PASSWORD = "demo-password-1"
CREATOR_EMAIL = "creator@example.com"
M = PaymentMethod

PEOPLE = [
    ("Casey Creator", CREATOR_EMAIL, False),
    ("Riley Reviewer", "reviewer@example.com", True),
    ("Sam Second-Reviewer", "reviewer2@example.com", True),
    ("Blair Buyer", "buyer@example.com", False),
    ("Alice Moreno", "alice@example.com", False),
    ("Bob Chen", "bob@example.com", False),
    ("Carol Diaz", "carol@example.com", False),
    ("Dave Okafor", "dave@example.com", False),
    ("Frank Ito", "frank@example.com", False),
    ("Gina Park", "gina@example.com", False),
    ("Henry Walsh", "henry@example.com", False),
    ("Ivy Laurent", "ivy@example.com", False),
    ("Kim Novak", "kim@example.com", False),
    ("Lena Fischer", "lena@example.com", False),
]
REVIEWER, REVIEWER2 = "reviewer@example.com", "reviewer2@example.com"
PRODUCTS = [("Redstone Masterclass", 1900), ("Pickaxe Pro Membership", 4900), ("Server Builder Bundle", 19900)]
MEMBERSHIP = 1  # the index in PRODUCTS of the subscription, whose buyers may cancel

# (buyer email, product index, method, amount in cents, days ago, refunded)
PAYMENTS = [
    ("buyer@example.com", 0, M.CARD, 1900, 10, False),
    ("buyer@example.com", 1, M.PAYPAL, 4900, 30, False),
    ("buyer@example.com", 2, M.CRYPTO, 9900, 5, False),
    ("buyer@example.com", 2, M.KLARNA, 19900, 20, False),
    ("buyer@example.com", 1, M.CARD, 2900, 45, True),
    ("buyer@example.com", 0, M.CARD, 1500, 130, False),
    ("alice@example.com", 1, M.CARD, 4900, 25, False),
    ("bob@example.com", 0, M.CARD, 1900, 8, False),
    ("carol@example.com", 1, M.PAYPAL, 2900, 12, False),
    ("dave@example.com", 2, M.CARD, 9900, 40, False),
    ("frank@example.com", 0, M.CARD, 1900, 4, False),
    ("gina@example.com", 0, M.CARD, 1900, 12, False),
    ("henry@example.com", 1, M.PAYPAL, 4900, 18, False),
    ("henry@example.com", 0, M.PAYPAL, 1900, 3, False),  # claimable: a second purchase, no case yet
    ("ivy@example.com", 2, M.CARD, 19900, 9, False),
    ("kim@example.com", 0, M.CARD, 1900, 14, False),
    ("lena@example.com", 2, M.CARD, 9900, 6, False),  # claimable, no case yet
]

# The other buyers' cases, so every portal has something to show, and the reviewers' queue a case of every kind:
# (email, reason, days ago opened, steps). Each step is (days ago, acting email, party, action, text); CLAIM is a
# reviewer's claim, EXPIRE the deadline sweep.
CLAIM = "claim"
A = CaseAction
CASES = [
    ("bob@example.com", "product_not_received", 3, []),
    (
        "carol@example.com",
        "not_as_described",
        6,
        [(5, CREATOR_EMAIL, Party.CREATOR, CaseAction.REQUEST_MORE_INFO, "Which module did not match the outline?")],
    ),
    (
        "alice@example.com",
        "product_unacceptable",
        20,
        [
            (18, CREATOR_EMAIL, Party.CREATOR, CaseAction.DENY, "The membership was used for three weeks."),
            (15, "alice@example.com", Party.BUYER, CaseAction.ESCALATE, "The community was closed most of the month."),
        ],
    ),
    ("dave@example.com", "not_as_described", 30, [(29, CREATOR_EMAIL, Party.CREATOR, CaseAction.ACCEPT, "")]),
    # the creator let the 7 days pass: escalated by the sweep, unclaimed
    ("gina@example.com", "product_not_received", 9, [(2, "", Party.SYSTEM, A.EXPIRE, "")]),
    # decided for the buyer, then appealed by the creator: back in the queue for another reviewer
    (
        "henry@example.com",
        "not_as_described",
        12,
        [
            (11, CREATOR_EMAIL, Party.CREATOR, A.DENY, "Every module in the outline is in the course."),
            (10, "henry@example.com", Party.BUYER, A.ESCALATE, "Modules 4 to 6 are empty placeholders."),
            (6, REVIEWER, Party.REVIEWER, CLAIM, ""),
            (5, REVIEWER, Party.REVIEWER, A.DECIDE_REFUND, "The screenshots show modules 4 to 6 empty on purchase."),
            (2, CREATOR_EMAIL, Party.CREATOR, A.APPEAL, "Modules 4 to 6 were filled the day after; see the changelog."),
        ],
    ),
    # claimed by the other reviewer
    (
        "ivy@example.com",
        "product_unacceptable",
        7,
        [
            (6, CREATOR_EMAIL, Party.CREATOR, A.DENY, "The bundle works as the product page says."),
            (4, "ivy@example.com", Party.BUYER, A.ESCALATE, "Half the schematics fail to load on 1.21."),
            (1, REVIEWER2, Party.REVIEWER, CLAIM, ""),
        ],
    ),
    # the platform asked the creator and waits on the answer
    (
        "kim@example.com",
        "product_not_received",
        10,
        [
            (9, CREATOR_EMAIL, Party.CREATOR, A.DENY, "Our records show the download on the day of purchase."),
            (8, "kim@example.com", Party.BUYER, A.ESCALATE, "The download link was dead; I never got the files."),
            (3, REVIEWER, Party.REVIEWER, CLAIM, ""),
            (3, REVIEWER, Party.REVIEWER, A.REQUEST_MERCHANT_INFO, "Please send the download log for this order."),
        ],
    ),
]
# The creator's saved replies (name, text), inserted from a case's composer with its placeholders filled in.
SAVED_REPLIES = [
    (
        "Ask which email they used",
        "Hi {buyer_name}, thanks for writing about case #{case_id}. Which email did you use to buy {product}? "
        "Access is tied to it, and I'll check it right away.",
    ),
    (
        "Refund on its way",
        "Hi {buyer_name}, sorry {product} didn't work out for you. Your refund of {amount} is on its way: "
        "it can take 5-10 business days to show on your statement.",
    ),
]
DESCRIPTIONS = {
    "product_not_received": "I paid but never got access to the course, and support did not answer.",
    "not_as_described": "The course outline promised modules that are not in the product at all.",
    "product_unacceptable": "The membership community was closed for most of the month I paid for.",
}


def seed_demo_data() -> bool:
    """Seed the demo data unless it is there already. Returns whether anything was written."""
    with transaction() as session:
        if session.exec(select(User.id).where(User.email == CREATOR_EMAIL)).first() is not None:
            return False
        now = clock.now()
        shared_hash = _demo_password_hash()
        users = {
            email: add_user(session, name, email, shared_hash, is_reviewer=reviewer) for name, email, reviewer in PEOPLE
        }
        business = _business(session, users[CREATOR_EMAIL], now)
        products = [_product(session, business, name, price) for name, price in PRODUCTS]
        terms, policy = (_legal(session, business, kind, now) for kind in LegalDocumentKind)
        _saved_replies(session, business, users[CREATOR_EMAIL], now)
        payments = {}
        for email, product_index, method, amount, days, refunded in PAYMENTS:
            payment = _payment(
                session, users[email], products[product_index], method, amount, now - timedelta(days=days), refunded
            )
            _user_logs(session, payment, terms, policy, membership=product_index == MEMBERSHIP)
            payments.setdefault(email, payment)
        ids = {email: (users[email].id, payments[email].id) for email in users if email in payments}
    _seed_cases(ids, now)
    return True


@cache
def _demo_password_hash() -> str:
    """One hash for every demo account (they share a public password), made once per process."""
    return hash_password(DEMO_PASSWORD)


def _seed_cases(ids: dict[str, tuple[int, int]], now: datetime) -> None:
    """Through the real services, with the clock moved back, so the timelines are what people would have made."""
    with clock.kept():
        for email, reason, opened_days, steps in CASES:
            clock.freeze(now - timedelta(days=opened_days))
            case_id = claims.open_claim(_user(email), ids[email][1], reason, DESCRIPTIONS[reason], [])
            for days, actor_email, party, action, text in steps:
                clock.freeze(now - timedelta(days=days))
                _step(case_id, actor_email, party, action, text)


def _step(case_id: int, actor_email: str, party: Party, action: str, text: str) -> None:
    if action == CLAIM:
        review_claims.claim(_user(actor_email), case_id)
    elif action == CaseAction.EXPIRE:
        expire_case(case_id)
    else:
        version = _version(case_id)
        case_actions.act(_user(actor_email), case_id, party, action, expected_version=version, text=text)


def _user(email: str) -> User:
    with transaction() as session:
        return session.exec(select(User).where(User.email == email)).one()


def _version(case_id: int) -> int:
    with transaction() as session:
        return session.get(Case, case_id).version


def _business(session: Session, owner: User, now: datetime) -> Business:
    business = Business(name="Pickaxe Academy", currency="USD", created_at=now - timedelta(days=400))
    session.add(business)
    session.flush()
    session.add(BusinessMember(business_id=business.id, user_id=owner.id, role=MemberRole.OWNER))
    return business


def _product(session: Session, business: Business, name: str, price: int) -> Product:
    product = Product(business_id=business.id, name=name, price_minor=price, currency="USD")
    session.add(product)
    session.flush()
    return product


def _legal(session: Session, business: Business, kind: LegalDocumentKind, now: datetime) -> LegalDocument:
    title = "Terms of service" if kind == LegalDocumentKind.TERMS_OF_SERVICE else "Refund policy"
    document = LegalDocument(
        business_id=business.id,
        kind=kind,
        version=1,
        body_text=f"{title} of Pickaxe Academy, version 1.\n\nRefunds are considered within 14 days of purchase.",
        content_type="text/plain",
        created_at=now - timedelta(days=365),
    )
    session.add(document)
    session.flush()
    return document


def _saved_replies(session: Session, business: Business, owner: User, now: datetime) -> None:
    for name, body in SAVED_REPLIES:
        at = now - timedelta(days=30)
        session.add(
            SavedReply(
                business_id=business.id,
                name=name,
                body=body,
                created_by_id=owner.id,
                created_at=at,
                updated_by_id=owner.id,
                updated_at=at,
            )
        )


def _payment(
    session: Session,
    buyer: User,
    product: Product,
    method: PaymentMethod,
    amount: int,
    paid_at: datetime,
    refunded: bool,
) -> Payment:
    payment = Payment(
        buyer_id=buyer.id,
        business_id=product.business_id,
        product_id=product.id,
        method=method,
        status=PaymentStatus.REFUNDED if refunded else PaymentStatus.SUCCEEDED,
        amount_minor=amount,
        currency="USD",
        paid_at=paid_at,
        refunded_at=paid_at + timedelta(days=2) if refunded else None,
        refunded_minor=amount if refunded else 0,
    )
    session.add(payment)
    session.flush()
    return payment


def _user_logs(
    session: Session, payment: Payment, terms: LegalDocument, policy: LegalDocument, *, membership: bool
) -> None:
    at = payment.paid_at
    entries = [
        (UserLogKind.BOUGHT_ACCESS, at, None, "Bought access"),
        (UserLogKind.AGREED_TERMS, at, terms.id, "Agreed to the terms of service v1"),
        (UserLogKind.AGREED_REFUND_POLICY, at, policy.id, "Agreed to the refund policy v1"),
        (UserLogKind.CLAIMED_ACCESS, at + timedelta(minutes=4), None, "Claimed access"),
        (UserLogKind.USED_APP, at + timedelta(hours=20), None, "Opened the course app"),
        (UserLogKind.JOINED_COMMUNITY, at + timedelta(days=1), None, "Joined the Discord community"),
    ]
    if membership:  # a subscription the buyer stopped: when, and until when they keep access
        ends = (at + timedelta(days=30)).date()
        entries.append((UserLogKind.CANCELED, at + timedelta(days=6), None, f"Canceled; access ends {ends}"))
    for kind, when, document_id, detail in entries:
        session.add(
            UserLog(
                user_id=payment.buyer_id,
                business_id=payment.business_id,
                payment_id=payment.id,
                kind=kind,
                at=when,
                legal_document_id=document_id,
                detail=detail,
            )
        )
