"""The in-app notifications: the bell's unread count and the `/notifications` list. Each person sees only their own;
every query is by the signed-in user's id, never by one the browser sends alone."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, update
from sqlmodel import Session, select

from resolution_app.domain.errors import NotFound
from resolution_app.domain.ids import is_row_id
from resolution_app.domain.notifications import case_path
from resolution_app.domain.text import shortened
from resolution_app.domain.webhooks import ENDPOINT_DISABLED, SETTINGS_PATH
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read
from resolution_app.models import Case, Notification, Payment, Product, User

PAGE_SIZE = 20
SNIPPET_CHARS = 240
NOT_YOURS = "That notification doesn't exist."


@dataclass(frozen=True)
class NotificationRow:
    id: int
    title: str
    case_label: str  # "Case #12 · Redstone Masterclass"
    snippet: str
    status_label: str
    created_at: str  # ISO, shown in the viewer's time zone
    href: str
    unread: bool


@dataclass(frozen=True)
class InboxPage:
    rows: list[NotificationRow]
    page: int
    pages: int
    unread: int


def unread_count(user: User) -> int:
    with read() as session:
        return _unread(session, user.id)


def inbox_page(user: User, page: int) -> InboxPage:
    """Newest first, PAGE_SIZE a page; a page past the end shows the last one."""
    with read() as session:
        total = session.exec(select(func.count()).where(Notification.user_id == user.id)).one()
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages)
        found = session.exec(
            select(Notification, Product.name)
            .outerjoin(Case, Case.id == Notification.case_id)
            .outerjoin(Payment, Payment.id == Case.payment_id)
            .outerjoin(Product, Product.id == Payment.product_id)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        ).all()
        return InboxPage([_row(n, product) for n, product in found], page, pages, _unread(session, user.id))


def mark_read(user: User, notification_id: int) -> str:
    """Mark one of the user's notifications read; returns the case page it leads to."""
    if not is_row_id(notification_id):
        raise NotFound(NOT_YOURS)
    with read() as session:
        notification = session.exec(
            select(Notification).where(Notification.id == notification_id, Notification.user_id == user.id)
        ).first()
        if notification is None:
            raise NotFound(NOT_YOURS)
        if notification.read_at is None:
            _mark(session, user.id, clock.now(), Notification.id == notification.id)
        return _href(notification)


def mark_all_read(user: User) -> int:
    with read() as session:
        return _mark(session, user.id, clock.now())


def read_case(user: User, case_id: int) -> int:
    """Opening a case reads what the bell said about it; returns the unread count left."""
    with read() as session:
        if is_row_id(case_id):  # an id no row can have reads nothing (and never reaches the INTEGER column)
            _mark(session, user.id, clock.now(), Notification.case_id == case_id)
        return _unread(session, user.id)


def _mark(session: Session, user_id: int, now: datetime, *conditions: ColumnElement[bool]) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None), *conditions)
        .values(read_at=now)
    )
    return result.rowcount


def _unread(session: Session, user_id: int) -> int:
    return session.exec(
        select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ).one()


def _href(notification: Notification) -> str:
    if notification.kind == ENDPOINT_DISABLED:
        return SETTINGS_PATH
    return case_path(notification.party, notification.case_id) if notification.case_id else "/notifications"


def _row(notification: Notification, product: str | None) -> NotificationRow:
    case = f"Case #{notification.case_id}" if notification.case_id else ""
    return NotificationRow(
        id=notification.id,
        title=notification.title,
        case_label=" · ".join(part for part in (case, product) if part),
        snippet=shortened(" ".join(notification.body.split()), SNIPPET_CHARS),
        status_label=notification.status_label,
        created_at=notification.created_at.isoformat(),
        href=_href(notification),
        unread=notification.read_at is None,
    )
