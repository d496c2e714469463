"""What the benchmarks share: a database of their own, made empty for each run."""

from datetime import datetime

import psycopg
from psycopg import sql
from sqlalchemy import make_url

from resolution_app.domain.enums import PaymentMethod, PaymentStatus
from resolution_app.models import Payment, Product


def fresh_postgres(url: str) -> None:
    """Create the database if it is missing and empty it."""
    target = make_url(url)
    admin = target.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (target.database,)).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.database)))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def card_purchase(buyer_id: int, product: Product, paid_at: datetime) -> Payment:
    """A buyer's successful card payment for a product: what a claim is opened on."""
    return Payment(
        buyer_id=buyer_id,
        business_id=product.business_id,
        product_id=product.id,
        method=PaymentMethod.CARD,
        status=PaymentStatus.SUCCEEDED,
        amount_minor=product.price_minor,
        currency=product.currency,
        paid_at=paid_at,
    )
