"""A buyer's platform balance: the sum of the credits platform decisions gave them (DESIGN §2)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from resolution_app.domain.money import format_money
from resolution_app.infra.db import read
from resolution_app.models import BalanceCredit, Business, Case, Payment, Product, User


@dataclass(frozen=True)
class BalanceEntry:
    case_id: int
    product: str
    business: str
    amount: str
    credited_at: datetime


@dataclass(frozen=True)
class Balance:
    totals: list[str]  # one per currency, e.g. ["$19.00"]; empty when nothing was ever credited
    credits: list[BalanceEntry]  # newest first


def buyer_balance(user: User) -> Balance:
    """The signed-in person's own balance: it only ever reads their credits."""
    with read() as session:
        rows = session.exec(
            select(BalanceCredit, Product.name, Business.name)
            .join(Case, Case.id == BalanceCredit.case_id)
            .join(Payment, Payment.id == Case.payment_id)
            .join(Product, Product.id == Payment.product_id)
            .join(Business, Business.id == Case.business_id)
            .where(BalanceCredit.user_id == user.id)
            .order_by(BalanceCredit.created_at.desc(), BalanceCredit.id.desc())
        ).all()
    sums: dict[str, int] = defaultdict(int)
    for credit, _, _ in rows:
        sums[credit.currency] += credit.amount_minor
    return Balance(
        totals=[format_money(amount, currency) for currency, amount in sorted(sums.items())],
        credits=[
            BalanceEntry(
                case_id=credit.case_id,
                product=product,
                business=business,
                amount=format_money(credit.amount_minor, credit.currency),
                credited_at=credit.created_at,
            )
            for credit, product, business in rows
        ],
    )
