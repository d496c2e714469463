"""The reviewers' analytics (issue 15, part 3), each figure checked against numbers worked out by hand.

The range is the four weeks from Monday 2026-10-26 to Sunday 2026-11-22, Berlin time (UTC+1 then); the clock stands
at 2026-11-22 12:00 UTC. Reviewers Alice (A) and Bob (B). Times are UTC:

    r1  escalated Nov 3 08:00, A refunds Nov 4 08:00 (24 h); creator appeals Nov 5 08:00,
        B: creator wins Nov 6 20:00 (36 h): overturned
    r2  deadline sends it to review Nov 9 10:00; A asks the buyer Nov 9 12:00, the answer comes Nov 10 12:00;
        A credits Nov 11 10:00 (48 h from entering review: the wait for the answer counts)
    r3  escalated Nov 15 17:30, B refunds Nov 15 23:30 (6 h; Monday Nov 16 in Berlin); creator appeals Nov 17 10:00,
        A refunds again Nov 18 10:00 (24 h): upheld
    r4  escalated Nov 19 09:00, target Nov 21 09:00: overdue now
    r5  escalated Nov 21 10:00, target Nov 25: in time
    r6  escalated Oct 20, decided Oct 21: before the range
    r7  escalated Oct 25 10:00 (before the range), B: creator wins Nov 3 12:00 (9 days 2 h)
"""

from datetime import UTC, date, datetime

import pytest

from resolution_app.domain.analytics import DateRange
from resolution_app.domain.enums import CaseStatus, Party, Reason
from resolution_app.domain.errors import NotFound
from resolution_app.services.analytics.review import review_analytics
from tests.services.analytics.ledger import Shop, person

S = CaseStatus
R = Party.REVIEWER
BERLIN = "Europe/Berlin"
FOUR_WEEKS = DateRange(date(2026, 10, 26), date(2026, 11, 22), BERLIN)
UPR, MRN, CRN = S.UNDER_PLATFORM_REVIEW, S.MERCHANT_RESPONSE_NEEDED, S.CUSTOMER_RESPONSE_NEEDED


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def people(database, frozen_clock):
    alice = person("Alice Reviewer", "alice.reviewer@example.com", reviewer=True)
    bob = person("Bob Reviewer", "bob.reviewer@example.com", reviewer=True)
    owner, buyer = person("Olga Owner", "olga@example.com"), person("Bea Buyer", "bea@example.com")
    shop = Shop.opened(owner, "Pickaxe Labs", {"Course": (1900, "USD")})

    def case(opened: datetime, status: CaseStatus, due_at: datetime | None = None):
        return shop.case(buyer, "Course", opened, Reason.NOT_AS_DESCRIBED, status, due_at=due_at)

    def escalate(record, when: datetime):
        record.event(when, Party.BUYER, "escalate", CRN, UPR, buyer)

    r1 = case(at(2, 8), S.MERCHANT_WON)
    escalate(r1, at(3, 8))
    r1.event(at(4, 8), R, "decide_refund", UPR, S.CUSTOMER_WON, alice)
    r1.event(at(5, 8), Party.CREATOR, "appeal", S.CUSTOMER_WON, UPR, owner).appeal(at(5, 8), Party.CREATOR, owner)
    r1.event(at(6, 20), R, "decide_merchant_wins", UPR, S.MERCHANT_WON, bob)

    r2 = case(at(2, 10), S.CUSTOMER_WON)
    r2.event(at(9, 10), Party.SYSTEM, "expire", MRN, UPR)
    r2.event(at(9, 12), R, "request_buyer_info", UPR, S.CUSTOMER_INFO_NEEDED, alice)
    r2.event(at(10, 12), Party.BUYER, "reply", S.CUSTOMER_INFO_NEEDED, UPR, buyer)
    r2.event(at(10, 13), R, "claimed", actor=alice)  # no move: a claim changes no status
    r2.event(at(11, 10), R, "decide_credit", UPR, S.CUSTOMER_WON, alice)

    r3 = case(at(14, 8), S.CUSTOMER_WON)
    escalate(r3, at(15, 17, 30))
    r3.event(at(15, 23, 30), R, "decide_refund", UPR, S.CUSTOMER_WON, bob)
    r3.event(at(17, 10), Party.CREATOR, "appeal", S.CUSTOMER_WON, UPR, owner).appeal(at(17, 10), Party.CREATOR, owner)
    r3.event(at(18, 10), R, "decide_refund", UPR, S.CUSTOMER_WON, alice)

    escalate(case(at(17, 9), UPR, due_at=at(21, 9)), at(19, 9))
    escalate(case(at(20, 9), UPR, due_at=at(25, 10)), at(21, 10))

    r6 = case(at(15, 8, month=10), S.CUSTOMER_WON)
    escalate(r6, at(20, 8, month=10))
    r6.event(at(21, 8, month=10), R, "decide_refund", UPR, S.CUSTOMER_WON, alice)

    r7 = case(at(20, 10, month=10), S.MERCHANT_WON)
    escalate(r7, at(25, 10, month=10))
    r7.event(at(3, 12), R, "decide_merchant_wins", UPR, S.MERCHANT_WON, bob)
    return {"alice": alice, "bob": bob, "owner": owner, "buyer": buyer}


def test_decisions_time_to_decision_appeals_and_overturns(people):
    total = review_analytics(people["alice"], FOUR_WEEKS).total
    assert total.decisions == 6  # r1 twice, r2, r3 twice, r7; not r6
    # 6, 24, 24, 36, 48 and 218 hours: the median halfway between the 3rd and 4th, the 90th percentile halfway
    # between the 5th and 6th (percentile_cont: 0.9 × (6 − 1) = 4.5).
    assert total.median == 30 * 3600
    assert total.p90 == pytest.approx(133 * 3600)
    assert (total.first_decisions, total.appealed) == (4, 2)  # r1 and r3 of r1, r2, r3, r7
    assert (total.appeal_decisions, total.overturned) == (2, 1)  # r1's went the other way, r3's did not
    row = total.row()
    assert (row["appeal_rate"], row["overturn_rate"]) == (50.0, 50.0)
    assert (row["median_text"], row["p90_text"], row["appeal_text"]) == ("30.0\u00a0h", "5.5\u00a0days", "50% (2 of 4)")


def test_decisions_by_kind_and_by_reviewer(people):
    analytics = review_analytics(people["alice"], FOUR_WEEKS)
    assert [(k.label, k.decisions) for k in analytics.kinds] == [
        ("Refund (creator pays)", 3),
        ("Credit buyer balance", 1),
        ("Creator wins", 2),
        ("Partial refund", 0),
    ]
    reviewers = [(r.label, r.decisions, r.median, r.overturned) for r in analytics.reviewers]
    # Alice: 24, 48, 24 hours (her appeal decision upheld r3); Bob: 36, 6, 218 (his overturned r1).
    assert reviewers == [("Alice Reviewer", 3, 24 * 3600, 0), ("Bob Reviewer", 3, 36 * 3600, 1)]


def test_decisions_by_the_viewers_weeks(people):
    berlin = review_analytics(people["alice"], FOUR_WEEKS)
    assert [w.key for w in berlin.weeks] == ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]
    assert [w.decisions for w in berlin.weeks] == [0, 3, 1, 2]  # r3's first decision: Monday in Berlin
    assert berlin.weeks[1].median == 36 * 3600  # 24, 36 and 218 hours
    utc = review_analytics(people["alice"], DateRange(FOUR_WEEKS.first, FOUR_WEEKS.last, "UTC"))
    assert [w.decisions for w in utc.weeks] == [0, 3, 2, 1]


def test_queue_size_at_the_end_of_each_day(people):
    analytics = review_analytics(people["alice"], FOUR_WEEKS)
    assert (analytics.queue_now, analytics.overdue_now) == (2, 1)
    sizes = {day.day: day.size for day in analytics.queue_days}
    assert list(sizes) == [date(2026, 10, 26 + n) for n in range(6)] + [date(2026, 11, n) for n in range(1, 23)]
    expected = {date(2026, 10, d): 1 for d in range(26, 32)} | {date(2026, 11, d): 0 for d in range(1, 23)}
    expected |= {
        date(2026, 11, 1): 1,  # r7, in review since before the range
        date(2026, 11, 2): 1,
        date(2026, 11, 3): 1,  # r7 decided, r1 escalated
        date(2026, 11, 5): 1,  # r1 appealed; decided the next day
        date(2026, 11, 10): 1,  # r2's answer came; the 9th it came in and left again
        date(2026, 11, 15): 1,  # r3 escalated at 18:30 Berlin, decided after midnight
        date(2026, 11, 17): 1,  # r3 appealed
        date(2026, 11, 19): 1,  # r4
        date(2026, 11, 20): 1,
        date(2026, 11, 21): 2,  # r5
        date(2026, 11, 22): 2,  # today: the queue now
    }
    assert sizes == expected
    assert analytics.queue_days[0].label == "Oct\u00a026"


def test_queue_days_stop_at_today_and_follow_the_zone(people):
    utc = review_analytics(people["alice"], DateRange(date(2026, 11, 14), date(2026, 11, 30), "UTC"))
    assert [(d.day.day, d.size) for d in utc.queue_days] == [
        (14, 0),
        (15, 0),  # r3 came and went on the same UTC day
        (16, 0),
        (17, 1),
        (18, 0),
        (19, 1),
        (20, 1),
        (21, 2),
        (22, 2),
    ]
    future = review_analytics(people["alice"], DateRange(date(2026, 12, 1), date(2026, 12, 7), "UTC"))
    assert future.queue_days == [] and future.total.decisions == 0


def test_an_empty_range_has_no_decisions(people):
    analytics = review_analytics(people["alice"], DateRange(date(2025, 3, 1), date(2025, 3, 31), BERLIN))
    total = analytics.total
    assert (total.decisions, total.first_decisions, total.appeal_decisions) == (0, 0, 0)
    assert total.median is None and total.p90 is None
    assert analytics.reviewers == []
    assert {day.size for day in analytics.queue_days} == {0}
    assert total.row()["appeal_rate"] is None and total.row()["appeal_text"] == "—"


@pytest.mark.parametrize("who", ["owner", "buyer"])
def test_only_staff_find_the_page(people, who):
    with pytest.raises(NotFound):
        review_analytics(people[who], FOUR_WEEKS)
