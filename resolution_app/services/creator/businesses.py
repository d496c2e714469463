"""The business a creator's settings pages work on."""

from sqlmodel import Session, select

from resolution_app.domain.errors import NotFound
from resolution_app.models import Business, User
from resolution_app.services.access import business_ids_of, require_business_member

BUSINESS_NOT_FOUND = "Business not found."


def creator_business(session: Session, user: User, *, acting: bool = False, lock: bool = False) -> Business:
    """The user's business: a creator belongs to one here; with several, the first by id.

    NotFound for someone who is no member; Forbidden when `acting` and their role only lets them read.
    `lock` holds the business row until the transaction ends, so two saves of its settings run one after the other.
    """
    business_ids = business_ids_of(session, user)
    if not business_ids:
        raise NotFound(BUSINESS_NOT_FOUND)
    business_id = min(business_ids)
    require_business_member(session, user, business_id, acting=acting)
    query = select(Business).where(Business.id == business_id)
    if lock:
        query = query.with_for_update()
    return session.exec(query).one()
