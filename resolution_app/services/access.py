"""Who may see and do what. Every service function goes through here before touching a case."""

from sqlalchemy import bindparam
from sqlmodel import Session, select

from resolution_app.domain.enums import MemberRole, Party
from resolution_app.domain.errors import Forbidden, NotFound
from resolution_app.domain.ids import is_row_id
from resolution_app.models import BusinessMember, Case, User

CASE_NOT_FOUND = "Case not found."
ACTING_ROLES = frozenset({MemberRole.OWNER, MemberRole.MANAGER})


def membership(session: Session, user: User, business_id: int) -> BusinessMember | None:
    return session.exec(
        select(BusinessMember).where(BusinessMember.business_id == business_id, BusinessMember.user_id == user.id)
    ).first()


# Built once and read through Core: every table page asks it first, and the ORM's way cost more than the lookup.
_BUSINESS_IDS = select(BusinessMember.business_id).where(BusinessMember.user_id == bindparam("user_id"))


def business_ids_of(session: Session, user: User) -> list[int]:
    return list(session.connection().execute(_BUSINESS_IDS, {"user_id": user.id}).scalars())


def can_see_case(session: Session, user: User, case: Case, party: Party) -> bool:
    if party == Party.BUYER:
        return case.buyer_id == user.id
    if party == Party.CREATOR:
        return membership(session, user, case.business_id) is not None
    if party == Party.REVIEWER:
        return user.is_reviewer
    return False


def require_case(session: Session, user: User, case_id: int, party: Party, *, lock: bool = False) -> Case:
    """The case, if `user` may see it as `party`; otherwise NotFound, so ids of others' cases reveal nothing."""
    if not is_row_id(case_id):
        raise NotFound(CASE_NOT_FOUND)
    query = select(Case).where(Case.id == case_id)
    if lock:
        query = query.with_for_update()
    case = session.exec(query).first()
    if case is None or not can_see_case(session, user, case, party):
        raise NotFound(CASE_NOT_FOUND)
    return case


def may_act(session: Session, user: User, case: Case, party: Party) -> bool:
    """Seeing is not always acting: a business's viewers read cases but don't answer them."""
    if party != Party.CREATOR:
        return True
    member = membership(session, user, case.business_id)
    return member is not None and member.role in ACTING_ROLES


def require_case_actor(session: Session, user: User, case: Case, party: Party) -> None:
    if not may_act(session, user, case, party):
        raise Forbidden("Your role in this business lets you read cases, not answer them.")


def require_business_member(session: Session, user: User, business_id: int, *, acting: bool = False) -> None:
    member = membership(session, user, business_id)
    if member is None:
        raise NotFound("Business not found.")
    if acting and member.role not in ACTING_ROLES:
        raise Forbidden("Your role in this business does not allow this.")


def require_reviewer(user: User) -> None:
    if not user.is_reviewer:
        raise NotFound("Page not found.")
