"""Saved replies: a business's named texts, kept on /creator/settings/saved-replies and inserted from a case's
composer, with the case's placeholders filled in (domain/saved_replies.py).

Every member of the business sees and inserts them; its owners and managers make, change and delete them. A reply
belongs to one business: another business's reply, like its case, is "not found".
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from resolution_app.domain import saved_replies as rules
from resolution_app.domain.enums import Party
from resolution_app.domain.errors import Forbidden, InvalidInput, NotFound
from resolution_app.domain.ids import is_row_id
from resolution_app.domain.money import format_money
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.domain.text import one_line, written
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read, transaction
from resolution_app.models import Business, Payment, Product, SavedReply, User
from resolution_app.services.access import ACTING_ROLES, membership, require_case
from resolution_app.services.creator.businesses import creator_business

REPLY_NOT_FOUND = "Saved reply not found."
MANAGERS_ONLY = "Only the business's owners and managers can add, change and delete saved replies."
SEARCH_MAX_CHARS = 100
PREVIEW_CHARS = 140


@dataclass(frozen=True)
class ReplyRow:
    """A reply as lists show it: its text on one line, shortened (the whole text is fetched to edit it)."""

    reply_id: int
    name: str
    preview: str
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True)
class RepliesView:
    replies: list[ReplyRow]  # the first DEFAULT_POLICY.saved_replies_shown of those that match, by name
    total: int  # how many match
    may_manage: bool  # an owner or manager: may add, change and delete


@dataclass(frozen=True)
class ReplyText:
    reply_id: int
    name: str
    body: str


# --- Reading ------------------------------------------------------------------------------------------------------


def replies_view(user: User, search: str = "") -> RepliesView:
    """The settings page: the user's business's replies whose name or text holds `search`."""
    with read() as session:
        business = creator_business(session, user)
        member = membership(session, user, business.id)
        replies, total = _matching(session, business.id, search)
        return RepliesView(replies=replies, total=total, may_manage=member.role in ACTING_ROLES)


def replies_for_case(user: User, case_id: int, search: str = "") -> RepliesView:
    """The composer's picker: the replies of the case's business, for a member who may see the case."""
    with read() as session:
        case = require_case(session, user, case_id, Party.CREATOR)
        member = membership(session, user, case.business_id)
        replies, total = _matching(session, case.business_id, search)
        return RepliesView(replies=replies, total=total, may_manage=member.role in ACTING_ROLES)


def reply_text(user: User, reply_id: int) -> ReplyText:
    """One reply whole, to edit it."""
    with read() as session:
        reply = _reply(session, reply_id, creator_business(session, user).id)
        return ReplyText(reply_id=reply.id, name=reply.name, body=reply.body)


def _needle(search: str) -> str:
    return " ".join(written(search).split())[:SEARCH_MAX_CHARS]


def _matching(session: Session, business_id: int, search: str) -> tuple[list[ReplyRow], int]:
    where = [SavedReply.business_id == business_id]
    needle = _needle(search)
    if needle:  # a few hundred replies at most per business: no index needed for "contains"
        where.append(
            or_(SavedReply.name.icontains(needle, autoescape=True), SavedReply.body.icontains(needle, autoescape=True))
        )
    total = session.exec(select(func.count()).select_from(SavedReply).where(*where)).one()
    found = session.exec(
        select(SavedReply, User.name)
        .join(User, User.id == SavedReply.updated_by_id)
        .where(*where)
        .order_by(func.lower(SavedReply.name), SavedReply.id)
        .limit(DEFAULT_POLICY.saved_replies_shown)
    ).all()
    rows = [
        ReplyRow(
            reply_id=reply.id,
            name=reply.name,
            preview=one_line(reply.body, PREVIEW_CHARS),
            updated_by=editor,
            updated_at=reply.updated_at,
        )
        for reply, editor in found
    ]
    return rows, total


def _reply(session: Session, reply_id: int, business_id: int, *, lock: bool = False) -> SavedReply:
    """The reply, when it is this business's; otherwise NotFound, so others' ids reveal nothing."""
    if not is_row_id(reply_id):
        raise NotFound(REPLY_NOT_FOUND)
    query = select(SavedReply).where(SavedReply.id == reply_id, SavedReply.business_id == business_id)
    reply = session.exec(query.with_for_update() if lock else query).first()
    if reply is None:
        raise NotFound(REPLY_NOT_FOUND)
    return reply


# --- Filling ------------------------------------------------------------------------------------------------------


def fill_for_case(user: User, reply_id: int, case_id: int) -> str:
    """The reply's text with the case's buyer, product, amount and number put in: for the composer, where the person
    may still change it before sending. Any member who sees the case may insert its business's replies."""
    with read() as session:
        case = require_case(session, user, case_id, Party.CREATOR)
        reply = _reply(session, reply_id, case.business_id)
        buyer_name, product = session.exec(
            select(User.name, Product.name)
            .join(Payment, Payment.buyer_id == User.id)
            .join(Product, Product.id == Payment.product_id)
            .where(Payment.id == case.payment_id)
        ).one()
    values = {
        "buyer_name": buyer_name,
        "product": product,
        "amount": format_money(case.amount_minor, case.currency),
        "case_id": str(case.id),
    }
    return rules.fill(reply.body, values)


# --- Changing -----------------------------------------------------------------------------------------------------


def _managed_business(session: Session, user: User) -> Business:
    """The user's business, held until the transaction ends (two saves of one name run one after the other), for its
    owners and managers."""
    business = creator_business(session, user, lock=True)
    member = membership(session, user, business.id)
    if member is None or member.role not in ACTING_ROLES:
        raise Forbidden(MANAGERS_ONLY)
    return business


def _check_name_free(session: Session, business_id: int, name: str, reply_id: int | None = None) -> None:
    query = select(SavedReply.id).where(
        SavedReply.business_id == business_id, func.lower(SavedReply.name) == name.lower()
    )
    if reply_id is not None:
        query = query.where(SavedReply.id != reply_id)
    if session.exec(query).first() is not None:
        raise InvalidInput(_taken(name), field="name")


def _taken(name: str) -> str:
    return f"There is already a saved reply named “{name}”. Choose another name."


def create_reply(user: User, name: str, body: str) -> int:
    name, body = rules.checked_name(name), rules.checked_body(body)
    now = clock.now()
    try:
        with transaction() as session:
            business = _managed_business(session, user)
            _check_name_free(session, business.id, name)
            reply = SavedReply(
                business_id=business.id,
                name=name,
                body=body,
                created_by_id=user.id,
                created_at=now,
                updated_by_id=user.id,
                updated_at=now,
            )
            session.add(reply)
            session.flush()
            return reply.id
    except IntegrityError:  # the business row lock makes this rare: a second business of the same user, say
        raise InvalidInput(_taken(name), field="name") from None


def update_reply(user: User, reply_id: int, name: str, body: str) -> None:
    name, body = rules.checked_name(name), rules.checked_body(body)
    try:
        with transaction() as session:
            business = _managed_business(session, user)
            reply = _reply(session, reply_id, business.id, lock=True)
            _check_name_free(session, business.id, name, reply.id)
            reply.name, reply.body, reply.updated_by_id, reply.updated_at = name, body, user.id, clock.now()
            session.add(reply)
    except IntegrityError:
        raise InvalidInput(_taken(name), field="name") from None


def delete_reply(user: User, reply_id: int) -> str:
    """Deleted for good; returns its name, for the page to say which one went."""
    with transaction() as session:
        business = _managed_business(session, user)
        reply = _reply(session, reply_id, business.id, lock=True)
        session.delete(reply)
        return reply.name
