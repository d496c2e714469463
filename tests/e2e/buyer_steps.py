"""What a buyer does on the way to a case, as steps the e2e tests share."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Locator, Page
from sqlmodel import Session, select

from resolution_app.domain.enums import PaymentMethod, PaymentStatus
from resolution_app.infra.db import make_engine
from resolution_app.models import Payment, Product, User

FILES = Path(__file__).parent / "files"


def fresh_purchase(database_url: str, email: str, method: PaymentMethod, amount_minor: int) -> None:
    """A purchase of the demo creator's first product, made yesterday by `email`: a test's own payment to claim,
    which no other test claims first."""
    engine = make_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with Session(engine) as session:
        buyer = session.exec(select(User).where(User.email == email)).one()
        product = session.exec(select(Product).order_by(Product.id)).first()
        session.add(
            Payment(
                buyer_id=buyer.id,
                business_id=product.business_id,
                product_id=product.id,
                method=method,
                status=PaymentStatus.SUCCEEDED,
                amount_minor=amount_minor,
                currency=product.currency,
                paid_at=datetime.now(UTC) - timedelta(days=1),
            )
        )
        session.commit()
    engine.dispose()


def purchase_row(page: Page, method: str, amount: str) -> Locator:
    return page.locator(".purchase-row").filter(has_text=method).filter(has_text=amount)


def start_claim(page: Page, method: str, amount: str) -> None:
    """From /purchases, open the claim form of the payment made by `method` for `amount`."""
    purchase_row(page, method, amount).get_by_role("button", name="Open a claim").click()
    page.wait_for_url(re.compile(r"/purchases/\d+/claim$"))


def fill_claim(page: Page, reason: str, description: str) -> None:
    page.get_by_label("Reason").select_option(label=reason)
    page.get_by_label("Describe the issue").fill(description)


def submit_claim(page: Page) -> str:
    """Submit the form and land on the new case; returns its id."""
    page.get_by_role("button", name="Submit claim").click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    return page.url.rsplit("/", 1)[1]
