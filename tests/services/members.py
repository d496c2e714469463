"""People around the seeded business: strangers, its team members with other roles, another business's owner."""

from sqlmodel import select

from resolution_app.domain.enums import MemberRole
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import Business, BusinessMember, User
from resolution_app.services.accounts import add_user


def seeded_business_id() -> int:
    with transaction() as session:
        return session.exec(select(Business.id).where(Business.name == "Pickaxe Academy")).one()


def add_person(email: str) -> User:
    """Someone with an account and nothing else: no purchases, no business."""
    with transaction() as session:
        return add_user(session, email.split("@")[0].title(), email, "not-a-real-hash")


def add_member(email: str, role: MemberRole, business_id: int) -> User:
    user = add_person(email)
    with transaction() as session:
        session.add(BusinessMember(business_id=business_id, user_id=user.id, role=role))
    return user


def other_creator(email: str = "other.creator@example.com") -> User:
    """The owner of a second business, with nothing to do with Pickaxe Academy."""
    with transaction() as session:
        business = Business(name="Other Academy", currency="USD", created_at=clock.now())
        session.add(business)
        session.flush()
        business_id = business.id
    return add_member(email, MemberRole.OWNER, business_id)
