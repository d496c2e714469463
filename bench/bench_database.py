"""What the benchmarks share: a database of their own, made empty for each run."""

import os
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import Engine, make_url

from resolution_app.domain.enums import PaymentMethod, PaymentStatus
from resolution_app.infra import db
from resolution_app.infra.local_postgres import FAST_UNSAFE_OPTIONS, running_postgres
from resolution_app.models import Payment, Product


def bench_database_url(stack: ExitStack, folder: Path) -> str:
    """BENCH_DATABASE_URL's database, else a local PostgreSQL in `folder` (stopped when `stack` closes), unsafe but fast
    as a benchmark may be."""
    return os.environ.get("BENCH_DATABASE_URL") or stack.enter_context(
        running_postgres(folder, options=FAST_UNSAFE_OPTIONS)
    )


def use_database(url: str) -> Engine:
    """The app's services, in this process, on `url`."""
    engine = db.make_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    db.use_engine(engine)
    return engine


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
