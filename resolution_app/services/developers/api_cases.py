"""The public API's use cases: a key lists, reads and answers its own business's cases.

Answers go through the same service functions as the creator's pages (case_actions), as the key's maker, so the
rules and the authorization are the pages' own; on top, a key reaches only its one business and, to write, needs
the "Read and write" scope.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import ColumnCollection, ColumnElement, Select, bindparam, tuple_
from sqlmodel import Session

from resolution_app.domain.enums import CaseStatus, Party, Reason
from resolution_app.domain.errors import Forbidden, InvalidInput, NotFound
from resolution_app.domain.ids import is_row_id
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read, read_rows
from resolution_app.models import Case, User
from resolution_app.services.access import CASE_NOT_FOUND, may_act
from resolution_app.services.cases import case_actions
from resolution_app.services.developers import api_keys
from resolution_app.services.developers.api_keys import ApiCaller
from resolution_app.services.developers.case_resource import (
    API_ACTIONS,
    LIST_COLUMNS,
    CaseResource,
    ListedCase,
    available_actions,
    case_resource,
    list_entries,
)

MAX_PAGE = 100
_LISTED_WIDTH = len(ListedCase._fields)
READ_ONLY_KEY = 'This key may only read. Make a key with the "Read and write" scope to act on cases.'
BAD_CURSOR = "`after` must be an end_cursor from a previous page."


@dataclass(frozen=True)
class CaseQuery:
    status: CaseStatus | None = None
    reason: Reason | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    first: int = 25
    after: str | None = None


@dataclass(frozen=True)
class CasePage:
    cases: list[dict]  # CaseListItem's fields (case_resource.list_entries)
    has_next_page: bool
    end_cursor: str | None


def _cursor(case: ListedCase) -> str:
    return base64.urlsafe_b64encode(f"{case.opened_at.isoformat()}|{case.id}".encode()).decode().rstrip("=")


def _position(cursor: str) -> tuple[datetime, int]:
    """Where a page ends: (created_at, id) of its last case."""
    try:
        moment, _, case_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition("|")
        at, number = datetime.fromisoformat(moment), int(case_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(BAD_CURSOR, field="after") from None
    if at.tzinfo is None or not is_row_id(number):
        raise InvalidInput(BAD_CURSOR, field="after")
    return at, number


def _utc(moment: datetime | None) -> datetime | None:
    """Times without a zone are taken as UTC, as the documentation says."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


# Each filter's condition on bind parameters, so that the list's statement for a set of filters is built once
# (_list_statement) and executed as the very object SQLAlchemy compiled: a statement built per request cost more
# than its rows, in building and in matching the cached compilation to it.
_CONDITIONS: dict[str, ColumnElement[bool]] = {
    "status": Case.status == bindparam("status"),
    "reason": Case.reason == bindparam("reason"),
    "created_after": Case.opened_at > bindparam("created_after"),
    "created_before": Case.opened_at < bindparam("created_before"),
    # As a row value the keyset bounds the index scan; spelt out with OR it would only filter it.
    "after": tuple_(Case.opened_at, Case.id)
    < tuple_(bindparam("after_at", type_=Case.opened_at.type), bindparam("after_id", type_=Case.id.type)),
}


def _newest_first(columns: ColumnCollection) -> tuple[ColumnElement, ...]:
    """The order of ix_case_business_opened_desc, so a page is read straight off the index."""
    return columns.opened_at.desc().nulls_last(), columns.id.desc()


@cache
def _list_statement(filters: frozenset[str]) -> Select:
    """The key's check and a page of its business's cases, in one statement: the list is most of what tools ask, and
    the check, as a round trip of its own, took as long as the page's rows."""
    chosen = (condition for name, condition in _CONDITIONS.items() if name in filters)
    page = (
        LIST_COLUMNS.where(Case.business_id == api_keys.CALLER.c.business_id, *chosen)
        .order_by(*_newest_first(Case.__table__.c))
        .limit(bindparam("limit"))
        .lateral("page")
    )
    return api_keys.authenticating(page).order_by(*_newest_first(page.c))


def _list_values(query: CaseQuery) -> dict[str, object]:
    """The values of the list statement's bind parameters (those of filters not asked for go unused)."""
    after_at, after_id = _position(query.after) if query.after else (None, None)
    return {
        "status": query.status,
        "reason": query.reason,
        "created_after": _utc(query.created_after),
        "created_before": _utc(query.created_before),
        "after_at": after_at,
        "after_id": after_id,
        "limit": query.first + 1,  # one more than the page, to know whether another follows
    }


def list_cases(secret: str, query: CaseQuery) -> CasePage | None:
    """The key's business's cases, newest first, `first` at a time after the cursor `after`; None for a key that is
    not live (api_keys.authenticate). The key is checked and counted by the list's own statement."""
    if not 1 <= query.first <= MAX_PAGE:
        raise InvalidInput(f"`first` is from 1 to {MAX_PAGE}.", field="first")
    if not api_keys.looks_like_key(secret):
        return None
    now = clock.now()
    values = _list_values(query) | api_keys.key_values(secret, now)
    statement = _list_statement(frozenset(name for name in _CONDITIONS if getattr(query, name)))
    with read_rows() as connection:  # the statement commits as it runs
        rows = connection.execute(statement, values).all()
    if not rows:
        return None
    api_keys.caller_of(rows[0], now)
    listed = [ListedCase._make(row[-_LISTED_WIDTH:]) for row in rows[: query.first]]  # the page's columns come last
    shown = [case for case in listed if case.id is not None]  # a business with no cases: one row, no case
    return CasePage(
        cases=list_entries(shown),
        has_next_page=len(rows) > query.first,
        end_cursor=_cursor(shown[-1]) if shown else None,
    )


def _business_case(session: Session, caller: ApiCaller, case_id: int, *, lock: bool = False) -> Case:
    """The case, if it is the key's business's; NotFound otherwise, so other businesses' ids reveal nothing."""
    case = session.get(Case, case_id, with_for_update=lock) if is_row_id(case_id) else None
    if case is None or case.business_id != caller.business_id:
        raise NotFound(CASE_NOT_FOUND)
    return case


def _maker(session: Session, caller: ApiCaller) -> User:
    """The member the key acts as."""
    return session.get_one(User, caller.user_id)


def get_case(caller: ApiCaller, case_id: int) -> CaseResource:
    now = clock.now()
    with read() as session:
        case = _business_case(session, caller, case_id)
        maker = _maker(session, caller)
        acting = caller.may_write and may_act(session, maker, case, Party.CREATOR)
        return case_resource(session, case, now, actions=available_actions(case, now, may_act=acting), links_for=maker)


def take_action(caller: ApiCaller, case_id: int, action: str, text: str = "") -> CaseResource:
    """accept, deny (with the reason) or request_info (with the question), as on the creator's case page."""
    _require_write(caller)
    if action not in API_ACTIONS:
        raise InvalidInput("Unknown action.")
    with read() as session:
        version, maker = _business_case(session, caller, case_id).version, _maker(session, caller)
    case_actions.act(maker, case_id, Party.CREATOR, API_ACTIONS[action], expected_version=version, text=text)
    return get_case(caller, case_id)


def send_message(caller: ApiCaller, case_id: int, body: str) -> CaseResource:
    _require_write(caller)
    with read() as session:
        _business_case(session, caller, case_id)
        maker = _maker(session, caller)
    case_actions.send_message(maker, case_id, Party.CREATOR, body)
    return get_case(caller, case_id)


def _require_write(caller: ApiCaller) -> None:
    if not caller.may_write:
        raise Forbidden(READ_ONLY_KEY)
