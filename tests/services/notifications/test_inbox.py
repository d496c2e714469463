"""The in-app inbox (issue 11): the bell's unread count, /notifications newest first and paged, each row leading to
the case in the recipient's own portal, mark one or all read, opening a case reads it. Nobody ever sees, or marks,
another person's notifications, whatever id they send."""

from datetime import timedelta

import pytest
from sqlmodel import select

from resolution_app.domain.enums import Party
from resolution_app.domain.errors import NotFound
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import Notification, User
from resolution_app.services.cases import case_actions
from resolution_app.services.notifications import inbox
from resolution_app.services.notifications.inbox import PAGE_SIZE, SNIPPET_CHARS
from tests.conftest import NOW
from tests.services.members import add_person
from tests.services.review.flows import B, C, R, act, claimed, opened


def _add(user: User, count: int, *, case_id: int | None = None, party: Party = B, body: str = "") -> list[int]:
    """`count` notifications for `user`, a minute apart, the last one newest; their ids, oldest first."""
    rows = [
        Notification(
            user_id=user.id,
            case_id=case_id,
            party=party,
            kind="message",
            title=f"Notification {number}",
            body=body or f"Words number {number}.",
            created_at=NOW + timedelta(minutes=number),
        )
        for number in range(count)
    ]
    with transaction() as session:
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def _mine(user: User) -> list[Notification]:
    with transaction() as session:
        return list(session.exec(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)))


def _read_at(notification_id: int):
    with transaction() as session:
        return session.get(Notification, notification_id).read_at


def _everyones_unread() -> dict[int, int]:
    with transaction() as session:
        rows = session.exec(select(Notification.user_id, Notification.read_at)).all()
    counts: dict[int, int] = {}
    for user_id, read_at in rows:
        counts[user_id] = counts.get(user_id, 0) + (read_at is None)
    return counts


# --- the count and the list -------------------------------------------------------------------------------


def test_the_unread_count_is_each_persons_own(world):
    assert inbox.unread_count(world.buyer) == 0  # the demo buyer has no case of their own yet
    creator_before = inbox.unread_count(world.creator)
    case_id = opened(world)
    assert inbox.unread_count(world.creator) == creator_before + 1
    assert inbox.unread_count(world.buyer) == 0
    act(world, world.creator, case_id, C, "deny", "Every module is in the course.")
    case_actions.send_message(world.creator, case_id, C, "Happy to talk it through.")
    assert inbox.unread_count(world.buyer) == 2
    assert inbox.unread_count(world.creator) == creator_before + 1


def test_an_empty_inbox_is_one_empty_page(world):
    reader = add_person("reader@example.com")
    page = inbox.inbox_page(reader, 1)
    assert (page.rows, page.page, page.pages, page.unread) == ([], 1, 1, 0)
    assert inbox.inbox_page(reader, 7).page == 1


def test_the_list_is_newest_first_in_pages(world):
    reader = add_person("reader@example.com")
    ids = _add(reader, 2 * PAGE_SIZE + 5)
    newest_first = ids[::-1]
    first, second, third = (inbox.inbox_page(reader, number) for number in (1, 2, 3))
    assert [row.id for row in first.rows] == newest_first[:PAGE_SIZE]
    assert [row.id for row in second.rows] == newest_first[PAGE_SIZE : 2 * PAGE_SIZE]
    assert [row.id for row in third.rows] == newest_first[2 * PAGE_SIZE :]
    assert [(p.page, p.pages, p.unread) for p in (first, second, third)] == [
        (n, 3, 2 * PAGE_SIZE + 5) for n in (1, 2, 3)
    ]
    assert first.rows[0].title == f"Notification {2 * PAGE_SIZE + 4}"
    assert first.rows[0].created_at == (NOW + timedelta(minutes=2 * PAGE_SIZE + 4)).isoformat()
    assert all(row.unread and row.href == "/notifications" for row in first.rows)  # no case: the list itself


@pytest.mark.parametrize(("asked", "shown"), [(4, 3), (10**9, 3), (0, 1), (-3, 1)])
def test_a_page_out_of_range_shows_the_nearest_page(world, asked, shown):
    reader = add_person("reader@example.com")
    _add(reader, 2 * PAGE_SIZE + 1)
    page = inbox.inbox_page(reader, asked)
    assert (page.page, page.pages) == (shown, 3)
    assert [row.id for row in page.rows] == [row.id for row in inbox.inbox_page(reader, shown).rows]


def test_notifications_of_the_same_moment_keep_a_stable_order(world):
    reader = add_person("reader@example.com")
    with transaction() as session:
        rows = [
            Notification(user_id=reader.id, party=B, kind="message", title=f"t{n}", created_at=NOW) for n in range(3)
        ]
        session.add_all(rows)
        session.flush()
        ids = [row.id for row in rows]
    assert [row.id for row in inbox.inbox_page(reader, 1).rows] == ids[::-1]


def test_a_rows_snippet_is_one_short_line(world):
    reader = add_person("reader@example.com")
    long_body = "First line\nsecond line\r\n" + "word " * 200
    _add(reader, 1, body=long_body)
    (row,) = inbox.inbox_page(reader, 1).rows
    assert row.snippet.startswith("First line second line word")
    assert "\n" not in row.snippet and "\r" not in row.snippet
    assert len(row.snippet) <= SNIPPET_CHARS and row.snippet.endswith("…")


def test_a_row_names_its_case_and_product(world):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "deny", "Every module is in the course.")
    _add(world.buyer, 1, case_id=None)
    about_the_case, about_nothing = sorted(inbox.inbox_page(world.buyer, 1).rows, key=lambda row: row.id)
    assert about_the_case.case_label == f"Case #{case_id} · Redstone Masterclass"
    assert about_the_case.href == f"/cases/{case_id}" and about_the_case.status_label == "Waiting on buyer (denied)"
    assert about_nothing.case_label == ""


# --- reading ------------------------------------------------------------------------------------------------


def _newest(user: User) -> Notification:
    return _mine(user)[-1]


def test_marking_read_leads_to_the_case_in_each_persons_own_portal(world):
    case_id = claimed(world, world.reviewer)
    act(world, world.reviewer, case_id, R, "request_buyer_info", "Please send a screenshot of module 4.")
    buyers = _newest(world.buyer)
    act(world, world.buyer, case_id, B, "reply", "Here it is.")
    reviewers = _newest(world.reviewer)
    creators = [n for n in _mine(world.creator) if n.case_id == case_id][-1]
    assert (buyers.party, creators.party, reviewers.party) == (B, C, R)
    assert inbox.mark_read(world.buyer, buyers.id) == f"/cases/{case_id}"
    assert inbox.mark_read(world.creator, creators.id) == f"/creator/resolutions/{case_id}"
    assert inbox.mark_read(world.reviewer, reviewers.id) == f"/review/{case_id}"
    assert all(_read_at(n.id) == NOW for n in (buyers, creators, reviewers))


def test_marking_read_counts_down_once_and_keeps_the_first_reading(world):
    reader = add_person("reader@example.com")
    first, second = _add(reader, 2, case_id=None)
    assert inbox.unread_count(reader) == 2
    assert inbox.mark_read(reader, first) == "/notifications"
    assert inbox.unread_count(reader) == 1
    clock.advance(timedelta(hours=1))
    inbox.mark_read(reader, first)
    assert inbox.unread_count(reader) == 1 and _read_at(first) == NOW and _read_at(second) is None
    rows = {row.id: row.unread for row in inbox.inbox_page(reader, 1).rows}
    assert rows == {first: False, second: True}


def test_mark_all_read_reads_only_mine(world):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "deny", "Every module is in the course.")
    act(world, world.buyer, case_id, B, "escalate", "They are empty placeholders.")  # both sides hear
    others = {user: count for user, count in _everyones_unread().items() if user != world.buyer.id}
    assert inbox.mark_all_read(world.buyer) == 2
    assert inbox.unread_count(world.buyer) == 0
    assert {user: count for user, count in _everyones_unread().items() if user != world.buyer.id} == others
    assert inbox.mark_all_read(world.buyer) == 0


def test_opening_a_case_reads_its_notifications_and_only_those(world):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "request_more_info", "Which module is missing?")
    case_actions.send_message(world.creator, case_id, C, "Screenshots help.")
    other = add_person("reader@example.com")
    (elsewhere,) = _add(world.buyer, 1, case_id=None)
    _add(other, 1, case_id=case_id)  # another person's row about the same case
    creator_unread = inbox.unread_count(world.creator)
    assert inbox.unread_count(world.buyer) == 3
    assert inbox.read_case(world.buyer, case_id) == 1
    assert _read_at(elsewhere) is None
    assert inbox.unread_count(other) == 1 and inbox.unread_count(world.creator) == creator_unread
    assert inbox.read_case(world.buyer, 2**40) == 1  # no such case: nothing read, no error


# --- another person's notifications ----------------------------------------------------------------------


def test_another_persons_notification_cant_be_marked_read(world):
    opened(world)
    creators = _newest(world.creator)
    before = inbox.unread_count(world.creator)
    for stranger in (world.buyer, world.reviewer, add_person("reader@example.com")):
        with pytest.raises(NotFound):
            inbox.mark_read(stranger, creators.id)
    assert _read_at(creators.id) is None
    assert inbox.unread_count(world.creator) == before


def test_the_list_shows_only_my_own_rows(world):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "deny", "Every module is in the course.")
    mine = {n.id for n in _mine(world.buyer)}
    assert len(mine) == 1
    page = inbox.inbox_page(world.buyer, 1)
    assert {row.id for row in page.rows} == mine and (page.pages, page.unread) == (1, 1)
    creator_pages = inbox.inbox_page(world.creator, 1).pages
    shown = {row.id for number in range(1, creator_pages + 1) for row in inbox.inbox_page(world.creator, number).rows}
    assert shown == {n.id for n in _mine(world.creator)}
    assert not shown & mine


@pytest.mark.parametrize("bad_id", [0, -1, 2**31, 2**40, True, "1", None, 1.0])
def test_an_id_that_names_no_row_is_not_found(world, bad_id):
    opened(world)
    before = _everyones_unread()
    with pytest.raises(NotFound):
        inbox.mark_read(world.creator, bad_id)
    assert _everyones_unread() == before


def test_an_id_past_the_last_row_is_not_found(world):
    opened(world)
    newest = _newest(world.creator)
    with pytest.raises(NotFound):
        inbox.mark_read(world.creator, newest.id + 1)
