"""Saved replies end to end: the creator keeps a reply with {buyer_name}, inserts it into a case's Message box from the
composer's picker, sees it filled in with the buyer's real name (a name full of markup, shown as text), edits it and
sends it."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from sqlmodel import Session, select

from resolution_app.domain.enums import PaymentMethod, PaymentStatus
from resolution_app.infra.db import make_engine
from resolution_app.infra.passwords import hash_password
from resolution_app.models import Payment, Product
from resolution_app.services.accounts import add_user
from tests.e2e.buyer_steps import fill_claim, start_claim, submit_claim
from tests.e2e.conftest import DEMO_PASSWORD, log_in

BUYER = "quinn@example.com"
# A name a buyer may well choose, meant to break the page: it must show as these very characters.
BUYER_NAME = "<script>window.__injected=1</script> **Quinn** _Zed_ <b>bold</b>"
# A purchase of this test's own, above the $25 card auto-refund that test_creator sets, so the case stays open.
AMOUNT_MINOR, AMOUNT = 4100, "$41.00"


def _a_buyer_with_a_purchase(database_url: str) -> None:
    engine = make_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with Session(engine) as session:
        buyer = add_user(session, BUYER_NAME, BUYER, hash_password(DEMO_PASSWORD))
        product = session.exec(select(Product).order_by(Product.id)).first()
        session.add(
            Payment(
                buyer_id=buyer.id,
                business_id=product.business_id,
                product_id=product.id,
                method=PaymentMethod.CARD,
                status=PaymentStatus.SUCCEEDED,
                amount_minor=AMOUNT_MINOR,
                currency=product.currency,
                paid_at=datetime.now(UTC) - timedelta(days=1),
            )
        )
        session.commit()
    engine.dispose()


def test_a_saved_reply_is_inserted_filled_in_edited_and_sent(new_page, e2e_database_url):
    _a_buyer_with_a_purchase(e2e_database_url)
    buyer = new_page()
    log_in(buyer, BUYER, "/purchases")
    start_claim(buyer, "Card", AMOUNT)
    fill_claim(buyer, "Product not received", "I paid for the masterclass but the lessons never unlocked.")
    case_id = submit_claim(buyer)

    creator = new_page()
    log_in(creator, "creator@example.com", "/creator/resolutions")
    creator.get_by_role("button", name="Settings").first.click()
    creator.get_by_role("menuitem", name="Saved replies").click()
    creator.wait_for_url("**/creator/settings/saved-replies")
    expect(creator.get_by_role("heading", name="Saved replies")).to_be_visible()

    creator.get_by_label("Name").fill("Lessons unlocked")
    body = creator.get_by_label("Text", exact=True)
    body.fill("Hi {buyer_name}, I unlocked every lesson for you ({case}).")
    creator.get_by_role("button", name="Add reply").click()
    expect(creator.get_by_role("alert")).to_contain_text("Unknown placeholder {case}")
    expect(body).to_be_focused()
    body.fill("Hi {buyer_name}, I unlocked every lesson of {product} for you (case #{case_id}).")
    creator.get_by_role("button", name="Add reply").click()
    expect(creator.get_by_role("status")).to_contain_text("Added “Lessons unlocked”.")
    expect(creator.locator(".saved-reply-row").filter(has_text="Lessons unlocked")).to_contain_text("{buyer_name}")
    expect(creator.get_by_label("Name")).to_have_value("")

    creator.goto(f"/creator/resolutions/{case_id}")
    message = creator.get_by_label("Message", exact=True)
    message.fill("Thanks for waiting!\n")
    creator.get_by_role("button", name="Insert saved reply").click()
    picker = creator.get_by_role("dialog", name="Insert saved reply")
    expect(picker).to_be_visible()
    expect(picker.locator(".saved-reply-choice")).not_to_have_count(0)  # the demo replies and ours
    picker.get_by_label("Search saved replies").fill("unlocked every")
    expect(picker.locator(".saved-reply-choice")).to_have_count(1)
    picker.get_by_role("button", name="Lessons unlocked").click()
    expect(picker).to_have_count(0)

    filled = f"Hi {BUYER_NAME}, I unlocked every lesson of Redstone Masterclass for you (case #{case_id})."
    expect(message).to_have_value(f"Thanks for waiting!\n{filled}")  # where the cursor was, after what was typed
    expect(message).to_be_focused()
    message.press("End")
    message.type(" Enjoy!")
    creator.get_by_role("button", name="Send", exact=True).click()
    expect(creator.get_by_text("Message sent.")).to_be_visible()
    sent = creator.locator(".chat-message").last
    expect(sent).to_contain_text(f"Thanks for waiting!\n{filled} Enjoy!", use_inner_text=True)
    expect(message).to_have_value("")

    # The buyer's name is words on both sides' pages: nothing ran, nothing became bold or a tag.
    buyer.reload()
    for page in (creator, buyer):
        expect(page.locator(".chat-message").last.locator(".thread-body")).to_contain_text(BUYER_NAME)
        assert page.locator(".thread-body script, .thread-body b, .thread-body strong, .thread-body em").count() == 0
        assert page.evaluate("window.__injected") is None
