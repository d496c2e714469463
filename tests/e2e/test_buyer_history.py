"""The buyer's history on a case page (issue 15, part 6): a buyer with claims at another business opens one at
Pickaxe Academy; the creator's case page shows their claims across the platform as counts, the reviewer's the
"Frequent claimant" mark, and nothing the browsers receive names the other business, its product or its amounts."""

import secrets
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from resolution_app.domain.enums import CaseStatus, Outcome, PaymentMethod, PaymentStatus, Reason
from resolution_app.infra.db import make_engine
from resolution_app.models import Business, Case, Payment, Product, User
from tests.e2e.buyer_steps import fill_claim, start_claim, submit_claim
from tests.e2e.conftest import log_in
from tests.e2e.test_accessibility_and_layout import AXE_RUN, axe_script  # noqa: F401 - the pinned axe-core

ELSEWHERE_PRODUCT, ELSEWHERE_AMOUNT = "Secret Sauce Course", 6666  # $66.66: in no demo data
# The buyer's claims at the other business: (days ago, status, outcome). The first is older than 12 months.
ELSEWHERE_CASES = [
    (400, CaseStatus.CUSTOMER_WON, Outcome.REFUND),
    (300, CaseStatus.CUSTOMER_WON, Outcome.REFUND),
    (200, CaseStatus.CUSTOMER_WON, Outcome.CREDIT),
    (120, CaseStatus.CUSTOMER_WITHDREW, Outcome.WITHDRAWN),
    (60, CaseStatus.MERCHANT_WON, Outcome.MERCHANT_WINS),
    (20, CaseStatus.CUSTOMER_WON, Outcome.REFUND),
]
# The purchase at Pickaxe Academy the buyer claims in the test: above any card auto-refund another test sets.
PICKAXE_AMOUNT_MINOR, PICKAXE_AMOUNT = 4321, "$43.21"
HISTORY = "6 claims in the last 12 months across the platform: 3 won by the buyer, 1 withdrawn."
MARK_NOTE = "5 or more claims in the last 12 months across the platform."


def _a_frequent_claimant(database_url: str) -> tuple[str, str]:
    """A buyer of this test's own (with the demo password) who claimed at another business five times in the last
    12 months and bought at Pickaxe Academy. Returns their email and the other business's name."""
    tag, now = secrets.token_hex(4), datetime.now(UTC)
    engine = make_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with Session(engine) as session:
        demo_hash = session.exec(select(User.password_hash).where(User.email == "buyer@example.com")).one()
        buyer = User(
            email=f"quinn.{tag}@example.com",
            username=f"quinn-{tag}",
            name="Quinn Often",
            password_hash=demo_hash,
            created_at=now - timedelta(days=500),
        )
        elsewhere = Business(name=f"Elsewhere Workshop {tag}", currency="USD", created_at=now - timedelta(days=900))
        session.add_all([buyer, elsewhere])
        session.flush()
        product = Product(
            business_id=elsewhere.id, name=ELSEWHERE_PRODUCT, price_minor=ELSEWHERE_AMOUNT, currency="USD"
        )
        session.add(product)
        session.flush()
        for days, status, outcome in ELSEWHERE_CASES:
            opened = now - timedelta(days=days)
            payment = _payment(buyer, product, ELSEWHERE_AMOUNT, opened - timedelta(days=1))
            session.add(payment)
            session.flush()
            session.add(
                Case(
                    payment_id=payment.id,
                    buyer_id=buyer.id,
                    business_id=elsewhere.id,
                    reason=Reason.NOT_AS_DESCRIBED,
                    description="ELSEWHERE-91b2: the other shop's course never loaded.",
                    status=status,
                    outcome=outcome,
                    paid_out=outcome in (Outcome.REFUND, Outcome.CREDIT),
                    amount_minor=ELSEWHERE_AMOUNT,
                    currency="USD",
                    opened_at=opened,
                    resolved_at=opened + timedelta(days=3),
                    updated_at=opened + timedelta(days=3),
                )
            )
        pickaxe = session.exec(select(Product).order_by(Product.id)).first()  # the demo's first product
        session.add(_payment(buyer, pickaxe, PICKAXE_AMOUNT_MINOR, now - timedelta(days=2)))
        session.commit()
        email, name = buyer.email, elsewhere.name
    engine.dispose()
    return email, name


def _payment(buyer: User, product: Product, amount_minor: int, paid_at: datetime) -> Payment:
    return Payment(
        buyer_id=buyer.id,
        business_id=product.business_id,
        product_id=product.id,
        method=PaymentMethod.CARD,
        status=PaymentStatus.SUCCEEDED,
        amount_minor=amount_minor,
        currency="USD",
        paid_at=paid_at,
    )


def _received(page: Page) -> list[str]:
    """Every frame the page's websockets receive from now on: the state the server sends the browser."""
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    return frames


def test_the_case_pages_show_the_buyer_s_claims_across_the_platform_as_counts(new_page, e2e_database_url, axe_script):  # noqa: F811
    email, elsewhere = _a_frequent_claimant(e2e_database_url)
    secrets_of_elsewhere = [elsewhere, ELSEWHERE_PRODUCT, "66.66", "ELSEWHERE-91b2"]  # names, amounts, words

    buyer = new_page()
    log_in(buyer, email, "/purchases")
    start_claim(buyer, "Card", PICKAXE_AMOUNT)
    fill_claim(buyer, "Product not received", "The course page stays blank after the purchase.")
    case_id = submit_claim(buyer)

    creator = new_page()
    creator_frames = _received(creator)
    log_in(creator, "creator@example.com", "/creator/resolutions")
    creator.goto(f"/creator/resolutions/{case_id}")
    expect(creator.locator(".customer-identity")).to_contain_text(email)
    expect(creator.locator(".claim-history")).to_have_text(HISTORY)
    expect(creator.locator(".frequent-claimant")).to_have_text("Frequent claimant")
    expect(creator.get_by_text(MARK_NOTE)).to_be_visible()  # the mark in words, not only a colour

    reviewer = new_page()
    reviewer_frames = _received(reviewer)
    log_in(reviewer, "reviewer@example.com", "/review")
    reviewer.goto(f"/review/{case_id}")
    expect(reviewer.locator(".customer-identity")).to_contain_text(email)
    expect(reviewer.locator(".frequent-claimant")).to_have_text("Frequent claimant")
    expect(reviewer.get_by_text(MARK_NOTE)).to_be_visible()
    expect(reviewer.locator(".claim-history")).to_have_text(HISTORY)
    reviewer.wait_for_load_state("networkidle")
    reviewer.add_script_tag(path=str(axe_script))
    assert reviewer.evaluate(AXE_RUN) == []

    for page, frames in ((creator, creator_frames), (reviewer, reviewer_frames)):
        received = "".join(frames)
        assert HISTORY in received  # the frames are the state, and they hold the counts
        shown = received + page.content()
        assert [secret for secret in secrets_of_elsewhere if secret in shown] == []
