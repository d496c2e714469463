"""Cases written straight into the tables, with every moment chosen, so the analytics' figures can be worked out by
hand. The rows are shaped as the services write them (tests/services/analytics/test_*_real_flows check that)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from resolution_app.domain.enums import CaseStatus, MemberRole, Party, PaymentMethod, PaymentStatus, Reason
from resolution_app.infra.db import transaction
from resolution_app.models import (
    Appeal,
    Business,
    BusinessMember,
    Case,
    CaseEvent,
    Message,
    Payment,
    Product,
    Refund,
    User,
)
from resolution_app.services.accounts import add_user

HOUR = timedelta(hours=1)


def person(name: str, email: str, *, reviewer: bool = False) -> User:
    with transaction() as session:
        return add_user(session, name, email, "not-a-real-hash", is_reviewer=reviewer)


@dataclass
class Shop:
    """A business, its owner and its products."""

    owner: User
    business_id: int
    products: dict[str, Product] = field(default_factory=dict)

    @classmethod
    def opened(cls, owner: User, name: str, products: dict[str, tuple[int, str]]) -> "Shop":
        with transaction() as session:
            business = Business(name=name, currency="USD", created_at=datetime(2025, 1, 1, tzinfo=UTC))
            session.add(business)
            session.flush()
            session.add(BusinessMember(business_id=business.id, user_id=owner.id, role=MemberRole.OWNER))
            made = {}
            for product_name, (price, currency) in products.items():
                product = Product(business_id=business.id, name=product_name, price_minor=price, currency=currency)
                session.add(product)
                session.flush()
                made[product_name] = product
            return cls(owner=owner, business_id=business.id, products=made)

    def payment(
        self, buyer: User, product: str, paid_at: datetime, status: PaymentStatus = PaymentStatus.SUCCEEDED
    ) -> int:
        item = self.products[product]
        with transaction() as session:
            payment = Payment(
                buyer_id=buyer.id,
                business_id=self.business_id,
                product_id=item.id,
                method=PaymentMethod.CARD,
                status=status,
                amount_minor=item.price_minor,
                currency=item.currency,
                paid_at=paid_at,
            )
            session.add(payment)
            session.flush()
            return payment.id

    def case(
        self,
        buyer: User,
        product: str,
        opened_at: datetime,
        reason: Reason,
        status: CaseStatus,
        *,
        due_at: datetime | None = None,
    ) -> "CaseRecord":
        """A case on a payment made a day before it opened, with its "opened" event."""
        payment_id = self.payment(buyer, product, opened_at - timedelta(days=1))
        item = self.products[product]
        with transaction() as session:
            case = Case(
                payment_id=payment_id,
                buyer_id=buyer.id,
                business_id=self.business_id,
                reason=reason,
                description="A case written by the analytics tests.",
                status=status,
                due_at=due_at,
                amount_minor=item.price_minor,
                currency=item.currency,
                opened_at=opened_at,
                updated_at=opened_at,
            )
            session.add(case)
            session.flush()
            session.add(
                CaseEvent(
                    case_id=case.id,
                    at=opened_at,
                    actor_id=buyer.id,
                    party=Party.BUYER,
                    kind="opened",
                    to_status=CaseStatus.MERCHANT_RESPONSE_NEEDED,
                )
            )
            return CaseRecord(case.id, payment_id, opened_at, buyer)


@dataclass
class CaseRecord:
    case_id: int
    payment_id: int
    opened_at: datetime
    buyer: User

    def event(
        self,
        at: datetime,
        party: Party,
        kind: str,
        from_status: CaseStatus | None = None,
        to_status: CaseStatus | None = None,
        actor: User | None = None,
    ) -> "CaseRecord":
        with transaction() as session:
            session.add(
                CaseEvent(
                    case_id=self.case_id,
                    at=at,
                    actor_id=actor.id if actor else None,
                    party=party,
                    kind=kind,
                    from_status=from_status,
                    to_status=to_status,
                )
            )
        return self

    def message(self, at: datetime, party: Party, author: User | None) -> "CaseRecord":
        """A chat message; no author is the business's automatic message."""
        with transaction() as session:
            session.add(
                Message(
                    case_id=self.case_id,
                    author_id=author.id if author else None,
                    party=party,
                    body="Hi.",
                    created_at=at,
                )
            )
        return self

    def refund(self, at: datetime, amount_minor: int, currency: str) -> "CaseRecord":
        with transaction() as session:
            session.add(
                Refund(
                    payment_id=self.payment_id,
                    case_id=self.case_id,
                    amount_minor=amount_minor,
                    currency=currency,
                    gateway_reference=f"ledger_test_{self.case_id}",
                    created_at=at,
                )
            )
        return self

    def appeal(self, at: datetime, party: Party, user: User) -> "CaseRecord":
        with transaction() as session:
            session.add(
                Appeal(case_id=self.case_id, party=party, user_id=user.id, statement="Appealed.", created_at=at)
            )
        return self
