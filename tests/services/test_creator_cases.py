import threading
from datetime import date, timedelta
from operator import attrgetter

import pytest
from sqlmodel import func, select

from resolution_app.domain.enums import (
    REASON_LABELS,
    CaseStatus,
    MemberRole,
    Party,
    PaymentMethod,
    PaymentStatus,
    Reason,
)
from resolution_app.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import BusinessMember, Refund
from resolution_app.services import files
from resolution_app.services.cases import case_actions, case_views, claims
from resolution_app.services.creator import creator_cases, customer_context
from resolution_app.services.creator.creator_cases import CaseFilter
from resolution_app.services.demo_data import CASES as DEMO_CASES
from resolution_app.services.review import claims as review_claims
from tests.services.factories import DESCRIPTION, png

C = Party.CREATOR


def _claim(world, email="buyer@example.com", method=PaymentMethod.CARD, amount=1900) -> int:
    payment = world.payment(email, method, amount)
    return claims.open_claim(world.user(email), payment.id, "not_as_described", DESCRIPTION, [])


def _act(world, user, case_id, action, text=""):
    case_actions.act(user, case_id, C, action, expected_version=world.case(case_id).version, text=text)
    return world.case(case_id)


def _add_member(world, email: str, role: MemberRole) -> None:
    user_id = world.user(email).id
    with transaction() as session:
        business_id = session.exec(select(BusinessMember.business_id)).first()
        session.add(BusinessMember(business_id=business_id, user_id=user_id, role=role))


def test_badge_counts_cases_waiting_on_the_creator(world):
    # bob's seeded claim and kim's, where the platform asked the creator
    assert creator_cases.open_resolutions_count(world.creator) == 2
    case_id = _claim(world)
    assert creator_cases.open_resolutions_count(world.creator) == 3
    _act(world, world.creator, case_id, "request_more_info", "Which module?")
    assert creator_cases.open_resolutions_count(world.creator) == 2
    assert creator_cases.open_resolutions_count(world.buyer) == 0


def test_table_filters_sorts_and_pages_in_the_database(world, frozen_clock):
    for email, amount in (("buyer@example.com", 1900), ("frank@example.com", 1900)):
        _claim(world, email, PaymentMethod.CARD, amount)
    everything = creator_cases.list_cases(world.creator, CaseFilter())
    n = len(DEMO_CASES) + 2
    assert everything.total == n == len(everything.rows) == 10
    assert [r.opened_at for r in everything.rows] == sorted((r.opened_at for r in everything.rows), reverse=True)

    waiting = creator_cases.list_cases(world.creator, CaseFilter(status="waiting"))
    assert {r.customer_name for r in waiting.rows} == {"Bob Chen", "Blair Buyer", "Frank Ito", "Kim Novak"}
    by_status = creator_cases.list_cases(world.creator, CaseFilter(status=CaseStatus.UNDER_PLATFORM_REVIEW))
    assert {r.customer_name for r in by_status.rows} == {"Alice Moreno", "Gina Park", "Henry Walsh", "Ivy Laurent"}
    by_reason = creator_cases.list_cases(world.creator, CaseFilter(reason="product_not_received"))
    assert {r.customer_name for r in by_reason.rows} == {"Bob Chen", "Gina Park", "Kim Novak"}
    for needle in ("ALICE", "alice@example", "@alice"[1:]):
        assert [r.customer_name for r in creator_cases.list_cases(world.creator, CaseFilter(search=needle)).rows] == [
            "Alice Moreno"
        ]

    today = clock.now().date()
    recent = creator_cases.list_cases(world.creator, CaseFilter(opened_from=today - timedelta(days=7), opened_to=today))
    assert {r.customer_name for r in recent.rows} == {
        "Bob Chen",
        "Carol Diaz",
        "Blair Buyer",
        "Frank Ito",
        "Ivy Laurent",
    }
    old = creator_cases.list_cases(world.creator, CaseFilter(opened_to=today - timedelta(days=10)))
    assert {r.customer_name for r in old.rows} == {"Alice Moreno", "Dave Okafor", "Henry Walsh", "Kim Novak"}

    cheapest_first = creator_cases.list_cases(world.creator, CaseFilter(sort="amount", descending=False))
    amounts = [r.amount_minor for r in cheapest_first.rows]
    assert amounts == sorted(amounts)

    last = creator_cases.list_cases(world.creator, CaseFilter(), page=3, page_size=4)
    assert (last.page, last.pages, last.total, len(last.rows)) == (3, 3, n, 2)
    past_the_end = creator_cases.list_cases(world.creator, CaseFilter(), page=99, page_size=4)
    assert (past_the_end.page, past_the_end.total, past_the_end.rows) == (3, n, last.rows)
    full_first = creator_cases.list_cases(world.creator, CaseFilter(), page=1, page_size=5)  # the count is asked
    assert (full_first.pages, full_first.total, len(full_first.rows)) == (2, n, 5)
    exactly_one_page = creator_cases.list_cases(world.creator, CaseFilter(), page=2, page_size=5)
    assert (exactly_one_page.page, exactly_one_page.total, len(exactly_one_page.rows)) == (2, n, 5)


def test_each_value_of_a_filter_gets_its_own_rows(world):
    """The table's statements are built once per filter shape (which filters, which sort) and run with each call's
    values: asking one shape with one value after another must answer each value with its own rows."""
    everything = creator_cases.list_cases(world.creator, CaseFilter()).rows

    def shown(**fields) -> list[int]:
        return sorted(r.case_id for r in creator_cases.list_cases(world.creator, CaseFilter(**fields)).rows)

    def expected(value_of, value) -> list[int]:
        return sorted(r.case_id for r in everything if value_of(r) == value)

    for reason in Reason:
        assert shown(reason=reason.value) == expected(attrgetter("reason"), REASON_LABELS[reason])
    statuses = {r.status for r in everything}
    assert len(statuses) > 2
    for status in statuses:
        assert shown(status=status) == expected(attrgetter("status"), status)
    for name in {r.customer_name for r in everything}:
        assert shown(search=name) == expected(attrgetter("customer_name"), name)
    days = {r.opened_at.date() for r in everything}
    assert len(days) > 2
    for day in days:
        assert shown(opened_from=day, opened_to=day) == expected(lambda r: r.opened_at.date(), day)


@pytest.mark.parametrize("sort", list(creator_cases.SORTS))
@pytest.mark.parametrize("descending", [True, False])
def test_a_search_pages_and_counts_as_the_table_does(world, sort, descending):
    """A search reads its page and its count in one statement; every demo customer's email is at example.com, so
    searching for that shows the same pages as no search at all, the one past the end included."""

    def pages(search: str) -> list[tuple]:
        f = CaseFilter(sort=sort, descending=descending, search=search)
        shown = (creator_cases.list_cases(world.creator, f, page, page_size=3) for page in (1, 2, 99, 2**63))
        return [(p.page, p.pages, p.total, [r.case_id for r in p.rows]) for p in shown]

    assert pages("example.com") == pages("")
    nobody = creator_cases.list_cases(world.creator, CaseFilter(search="nobody-by-this-name"), page=4)
    assert (nobody.page, nobody.pages, nobody.total, nobody.rows) == (1, 1, 0, [])


def test_date_range_follows_the_viewers_time_zone(world, frozen_clock):
    case_id = _claim(world)  # opened 2026-11-22 12:00 UTC = 2026-11-23 01:00 in Auckland
    in_auckland = CaseFilter(opened_from=date(2026, 11, 23), opened_to=date(2026, 11, 23), time_zone="Pacific/Auckland")
    assert [r.case_id for r in creator_cases.list_cases(world.creator, in_auckland).rows] == [case_id]
    in_utc = CaseFilter(opened_from=date(2026, 11, 23), opened_to=date(2026, 11, 23))
    assert creator_cases.list_cases(world.creator, in_utc).rows == []


@pytest.mark.parametrize(
    "bad",
    [
        {"status": "nope"},
        {"reason": "nope"},
        {"sort": "password_hash"},
        {"opened_from": date(2026, 2, 1), "opened_to": date(2026, 1, 1)},
        {"time_zone": "Mars/Olympus"},
        {"search": "x" * 201},
    ],
)
def test_bad_filters_are_refused(bad):
    with pytest.raises(InvalidInput):
        CaseFilter(**bad)


def test_strangers_and_buyers_see_no_cases(world):
    assert creator_cases.list_cases(world.buyer, CaseFilter()).rows == []
    assert creator_cases.list_cases(world.reviewer, CaseFilter()).total == 0


def test_columns_are_remembered_per_user(world):
    assert creator_cases.table_view(world.creator, CaseFilter()).columns == list(creator_cases.COLUMNS)
    saved = creator_cases.save_columns(world.creator, ["due", "reason", "amount", "made_up"])
    assert saved == ["reason", "amount", "due"]
    assert creator_cases.table_view(world.creator, CaseFilter()).columns == ["reason", "amount", "due"]
    assert creator_cases.table_view(world.buyer, CaseFilter()).columns == list(creator_cases.COLUMNS)
    with pytest.raises(InvalidInput):
        creator_cases.save_columns(world.creator, [])


def test_customer_context_shows_logs_with_document_versions_and_payments(world):
    case_id = _claim(world)
    context = customer_context.customer_context(world.creator, case_id)
    assert (context.name, context.email, context.username) == ("Blair Buyer", "buyer@example.com", "buyer")
    agreed = {log.document: log.document_url for log in context.logs if log.document}
    assert set(agreed) == {"Terms of service v1", "Refund policy v1"}
    download = files.open_download(agreed["Refund policy v1"].rsplit("/", 1)[1])
    assert b"Refund policy of Pickaxe Academy, version 1" in b"".join(download.chunks)
    assert any(log.what == "Canceled" and "access ends" in log.detail for log in context.logs)
    assert {"Bought access", "Claimed access", "Used the app", "Joined the community"} <= {
        log.what for log in context.logs
    }
    assert len(context.payments) == 6
    assert [p.this_case for p in context.payments].count(True) == 1
    with pytest.raises(NotFound):
        customer_context.customer_context(world.user("frank@example.com"), case_id)


def test_accept_refunds_once_and_marks_the_payment_refunded(world):
    case_id = _claim(world)
    case = _act(world, world.creator, case_id, "accept")
    assert case.status == CaseStatus.CUSTOMER_WON
    assert world.payment("buyer@example.com", PaymentMethod.CARD, 1900).status == PaymentStatus.REFUNDED
    timeline = case_views.case_detail(world.buyer, case_id, Party.BUYER).thread
    assert timeline[-1].text == "accepted the claim and refunded the payment"
    with pytest.raises(Exception):  # noqa: B017 - whatever path, never a second refund
        _act(world, world.creator, case_id, "accept")
    with transaction() as session:
        assert session.exec(select(func.count()).where(Refund.case_id == case_id)).one() == 1


def test_deny_requires_an_explanation_and_request_more_info_a_question(world):
    case_id = _claim(world)
    with pytest.raises(InvalidInput, match="Explain"):
        _act(world, world.creator, case_id, "deny")
    case = _act(world, world.creator, case_id, "deny", "The modules are all there, see lesson 4.")
    assert case.status == CaseStatus.CUSTOMER_RESPONSE_NEEDED


def test_creator_appeals_a_lost_platform_decision(world):
    case_id = _claim(world)
    _act(world, world.creator, case_id, "deny", "Delivered.")
    case_actions.act(
        world.buyer,
        case_id,
        Party.BUYER,
        "escalate",
        expected_version=world.case(case_id).version,
        text="Not delivered.",
    )
    review_claims.claim(world.reviewer, case_id)
    case_actions.act(
        world.reviewer,
        case_id,
        Party.REVIEWER,
        "decide_refund",
        expected_version=world.case(case_id).version,
        text="No proof of delivery.",
    )
    assert "appeal" in case_views.case_detail(world.creator, case_id, C).actions
    case = _act(world, world.creator, case_id, "appeal", "Here are the access logs.")
    assert case.status == CaseStatus.UNDER_PLATFORM_REVIEW and case.appealed


def test_team_viewer_reads_but_cannot_answer_and_manager_can(world):
    case_id = _claim(world)
    _add_member(world, "carol@example.com", MemberRole.VIEWER)
    _add_member(world, "dave@example.com", MemberRole.MANAGER)
    seen_by_viewer = case_views.case_detail(world.user("carol@example.com"), case_id, C)
    assert (seen_by_viewer.summary.case_id, seen_by_viewer.actions) == (case_id, [])  # no button to be refused
    assert "accept" in case_views.case_detail(world.user("dave@example.com"), case_id, C).actions
    with pytest.raises(Forbidden):
        _act(world, world.user("carol@example.com"), case_id, "accept")
    assert _act(world, world.user("dave@example.com"), case_id, "request_more_info", "Which?").status == (
        CaseStatus.CUSTOMER_INFO_NEEDED
    )


def test_another_business_cannot_open_or_act_on_the_case(world):
    case_id = _claim(world)
    stranger = world.user("frank@example.com")
    with pytest.raises(NotFound):
        case_views.case_detail(stranger, case_id, C)
    with pytest.raises(NotFound):
        _act(world, stranger, case_id, "accept")
    assert world.case(case_id).status == CaseStatus.MERCHANT_RESPONSE_NEEDED


def test_acting_after_the_deadline_moved_the_case_is_refused(world, frozen_clock):
    case_id = _claim(world)
    frozen_clock.advance(timedelta(days=7, minutes=1))
    with pytest.raises(Conflict, match="deadline"):
        _act(world, world.creator, case_id, "accept")
    assert world.case(case_id).status == CaseStatus.UNDER_PLATFORM_REVIEW
    assert world.payment("buyer@example.com", PaymentMethod.CARD, 1900).status == PaymentStatus.SUCCEEDED


def test_two_team_members_accept_and_deny_at_once(world):
    _add_member(world, "dave@example.com", MemberRole.MANAGER)
    case_id = _claim(world)
    version, outcomes, barrier = world.case(case_id).version, [], threading.Barrier(2)

    def attempt(user, action, text):
        barrier.wait()
        try:
            case_actions.act(user, case_id, C, action, expected_version=version, text=text)
            outcomes.append(action)
        except Conflict as error:
            outcomes.append(error.message)

    threads = [
        threading.Thread(target=attempt, args=(world.creator, "accept", "")),
        threading.Thread(target=attempt, args=(world.user("dave@example.com"), "deny", "No.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o in ("accept", "deny")]
    assert len(winners) == 1
    assert any("changed" in o for o in outcomes if o not in winners)
    with transaction() as session:
        refunds = session.exec(select(func.count()).where(Refund.case_id == case_id)).one()
    assert refunds == (1 if winners == ["accept"] else 0)


def test_a_file_link_stops_working_once_access_is_gone(world, store):
    _add_member(world, "dave@example.com", MemberRole.MANAGER)
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    case_id = claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [png()])
    manager = world.user("dave@example.com")
    link = case_views.case_detail(manager, case_id, C).thread[0].files[0].url
    token = link.rsplit("/", 1)[1]
    assert b"".join(files.open_download(token).chunks).startswith(b"\x89PNG")
    with transaction() as session:
        session.delete(session.exec(select(BusinessMember).where(BusinessMember.user_id == manager.id)).one())
    with pytest.raises(NotFound):
        files.open_download(token)  # the link is still within its lifetime; the access behind it is not
    buyers_link = case_views.case_detail(world.buyer, case_id, Party.BUYER).thread[0].files[0].url
    assert files.open_download(buyers_link.rsplit("/", 1)[1]).content_type == "image/png"  # others' links live on
