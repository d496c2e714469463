"""The creator's analytics (issue 15, part 2), each figure checked against numbers worked out by hand.

The business below has seven cases in the four weeks from Monday 2026-10-26 to Sunday 2026-11-22 (Berlin time), one
before them, and ten payments in them; another business has a refunded case in the same weeks. The clock stands at
2026-11-22 12:00 UTC.

    case  opened (UTC)        product  reason                   how it went                          first response
    c1    Nov 2 10:00         Course   not as described         accepted at +2 h: refund $19.00      2 h
    c2    Nov 3 10:00         Course   not received             message +4 h, denied +5 h, lapsed    4 h
    c3    Nov 10 12:00        Ebook    not as described         auto-refunded $49.00 (auto message)  none
    c4    Nov 11 12:00        Ebook    unauthorized             denied +10 h, escalated, partial $20 10 h
    c5    Nov 15 23:30        Course   unacceptable             message +1 h, withdrawn              1 h
                              (Berlin: Monday Nov 16 00:30)
    c6    Nov 20 09:00        Course   not as described         waiting on the creator               none
    c7    Nov 5 09:00         Kurs     canceled before payment  accepted at +20 h: refund €30.00     20 h
    c8    Oct 20 10:00        Course   (before the range)       refunded $19.00
"""

from datetime import UTC, date, datetime

import pytest

from resolution_app.domain.analytics import DateRange
from resolution_app.domain.enums import CaseStatus, Party, PaymentStatus, Reason
from resolution_app.domain.errors import NotFound
from resolution_app.services.analytics.creator import creator_analytics, creator_analytics_page
from tests.services.analytics.ledger import Shop, person

S = CaseStatus
BERLIN = "Europe/Berlin"
FOUR_WEEKS = DateRange(date(2026, 10, 26), date(2026, 11, 22), BERLIN)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def shops(database, frozen_clock):
    owner, other_owner = person("Olga Owner", "olga@example.com"), person("Otto Other", "otto@example.com")
    buyer = person("Bea Buyer", "bea@example.com")
    shop = Shop.opened(owner, "Pickaxe Labs", {"Course": (1900, "USD"), "Ebook": (4900, "USD"), "Kurs": (3000, "EUR")})
    other = Shop.opened(other_owner, "Elsewhere", {"Other": (9900, "USD")})

    c1 = shop.case(buyer, "Course", at(2, 10), Reason.NOT_AS_DESCRIBED, S.CUSTOMER_WON)
    c1.event(at(2, 12), Party.CREATOR, "accept", S.MERCHANT_RESPONSE_NEEDED, S.CUSTOMER_WON, owner)
    c1.refund(at(2, 12), 1900, "USD")

    c2 = shop.case(buyer, "Course", at(3, 10), Reason.PRODUCT_NOT_RECEIVED, S.MERCHANT_WON)
    c2.message(at(3, 14), Party.CREATOR, owner)
    c2.event(at(3, 15), Party.CREATOR, "deny", S.MERCHANT_RESPONSE_NEEDED, S.CUSTOMER_RESPONSE_NEEDED, owner)
    c2.event(at(10, 15), Party.SYSTEM, "expire", S.CUSTOMER_RESPONSE_NEEDED, S.MERCHANT_WON)

    c3 = shop.case(buyer, "Ebook", at(10, 12), Reason.NOT_AS_DESCRIBED, S.CUSTOMER_WON)
    c3.event(at(10, 12), Party.SYSTEM, "auto_refund", S.MERCHANT_RESPONSE_NEEDED, S.CUSTOMER_WON)
    c3.message(at(10, 12), Party.CREATOR, None)  # the business's automatic message: nobody answered
    c3.refund(at(10, 12), 4900, "USD")

    c4 = shop.case(buyer, "Ebook", at(11, 12), Reason.UNAUTHORIZED_TRANSACTION, S.PARTIALLY_REFUNDED)
    c4.event(at(11, 22), Party.CREATOR, "deny", S.MERCHANT_RESPONSE_NEEDED, S.CUSTOMER_RESPONSE_NEEDED, owner)
    c4.event(at(12, 8), Party.BUYER, "escalate", S.CUSTOMER_RESPONSE_NEEDED, S.UNDER_PLATFORM_REVIEW, buyer)
    c4.event(at(12, 18), Party.REVIEWER, "decide_partial_refund", S.UNDER_PLATFORM_REVIEW, S.PARTIALLY_REFUNDED)
    c4.refund(at(12, 18), 2000, "USD")

    c5 = shop.case(buyer, "Course", at(15, 23, 30), Reason.PRODUCT_UNACCEPTABLE, S.CUSTOMER_WITHDREW)
    c5.message(at(16, 0, 30), Party.CREATOR, owner)
    c5.event(at(16, 1, 30), Party.BUYER, "withdraw", S.MERCHANT_RESPONSE_NEEDED, S.CUSTOMER_WITHDREW, buyer)

    shop.case(buyer, "Course", at(20, 9), Reason.NOT_AS_DESCRIBED, S.MERCHANT_RESPONSE_NEEDED, due_at=at(27, 9))

    c7 = shop.case(buyer, "Kurs", at(5, 9), Reason.CANCELED_BEFORE_PAYMENT, S.CUSTOMER_WON)
    c7.event(at(6, 5), Party.CREATOR, "accept", S.MERCHANT_RESPONSE_NEEDED, S.CUSTOMER_WON, owner)
    c7.refund(at(6, 5), 3000, "EUR")

    c8 = shop.case(buyer, "Course", at(20, 10, month=10), Reason.NOT_AS_DESCRIBED, S.CUSTOMER_WON)
    c8.event(at(20, 11, month=10), Party.CREATOR, "accept", S.MERCHANT_RESPONSE_NEEDED, S.CUSTOMER_WON, owner)
    c8.refund(at(20, 11, month=10), 1900, "USD")

    # Payments without a case: three in the range, one failed (not counted), one before the range.
    shop.payment(buyer, "Course", at(7, 10))
    shop.payment(buyer, "Course", at(12, 10))
    shop.payment(buyer, "Ebook", at(13, 10))
    shop.payment(buyer, "Course", at(14, 10), PaymentStatus.FAILED)
    shop.payment(buyer, "Course", at(1, 10, month=10))

    theirs = other.case(buyer, "Other", at(8, 10), Reason.NOT_AS_DESCRIBED, S.CUSTOMER_WON)
    theirs.event(at(8, 11), Party.CREATOR, "accept", S.MERCHANT_RESPONSE_NEEDED, S.CUSTOMER_WON, other_owner)
    theirs.refund(at(8, 11), 9900, "USD")
    return {"owner": owner, "other_owner": other_owner, "buyer": buyer}


def test_the_whole_range_counts_the_businesss_own_cases_opened_in_it(shops):
    total = creator_analytics(shops["owner"], FOUR_WEEKS).total
    assert (total.cases, total.payments) == (7, 10)  # c8 and the other business's case are not counted
    assert total.refunded == 4
    assert [(a.currency, a.amount_minor, a.label) for a in total.refunded_amounts] == [
        ("EUR", 3000, "€30.00"),
        ("USD", 8800, "$88.00"),  # c1 + c3 + c4's partial refund, as the refund rows say
    ]
    assert (total.auto_refunded, total.escalated) == (1, 1)
    assert (total.buyer_won, total.creator_won, total.partial, total.withdrawn, total.still_open) == (3, 1, 1, 1, 1)
    # First responses 1, 2, 4, 10 and 20 hours: the median is the middle one, the 90th percentile interpolates
    # 60 % of the way from the 4th to the 5th (percentile_cont: 0.9 × (5 − 1) = 3.6).
    assert total.responded == 5
    assert total.response_median == 4 * 3600
    assert total.response_p90 == pytest.approx(16 * 3600)


def test_the_rates_and_cards_read_as_shares(shops):
    analytics = creator_analytics(shops["owner"], FOUR_WEEKS)
    row = analytics.total.row()
    assert row["claim_rate"] == 70.0  # 7 cases per 10 payments
    assert row["refund_rate"] == 57.1  # 4 of 7
    assert row["auto_refund_share"] == 14.3
    assert row["escalation_rate"] == 14.3
    assert (row["response_median_hours"], row["response_p90_hours"]) == (4.0, 16.0)
    assert row["refund_rate_text"] == "57.1% (4 of 7)"
    assert row["claim_rate_text"] == "70% (7 of 10 payments)"
    assert row["refunded_text"] == "€30.00; $88.00"
    assert row["refunded_USD"] == 88.0
    cards = {card.label: (card.value, card.detail) for card in analytics.cards()}
    assert cards["Cases opened"] == ("7", "from 10 payments in the range")
    assert cards["First response, median"] == ("4.0\u00a0h", "90th percentile 16.0\u00a0h · answered 5 of 7 opened")
    assert cards["Outcomes"][1] == "Buyer won 3 · Creator won 1 · Partial refund 1 · Withdrawn 1 · Open 1"
    assert analytics.currencies == ["EUR", "USD"]


def test_weeks_are_the_viewers_weeks(shops):
    berlin = creator_analytics(shops["owner"], FOUR_WEEKS)
    assert [(w.key, w.label) for w in berlin.weeks] == [
        ("2026-10-26", "Oct\u00a026"),
        ("2026-11-02", "Nov\u00a02"),
        ("2026-11-09", "Nov\u00a09"),
        ("2026-11-16", "Nov\u00a016"),
    ]
    # c5 opened on Sunday 23:30 UTC, which is Monday in Berlin: the next week there.
    assert [w.cases for w in berlin.weeks] == [0, 3, 2, 2]
    assert [w.payments for w in berlin.weeks] == [1, 3, 5, 1]  # c1's payment: Sunday Nov 1, Berlin's week of Oct 26
    week = berlin.weeks[1]  # c1, c2, c7: 2, 4 and 20 hours
    assert week.response_median == 4 * 3600
    assert week.response_p90 == pytest.approx((4 + 0.8 * 16) * 3600)
    assert [a.label for a in week.refunded_amounts] == ["€30.00", "$19.00"]
    assert berlin.weeks[0].row()["claim_rate"] == 0.0 and berlin.weeks[0].row()["refund_rate"] is None

    utc = creator_analytics(shops["owner"], DateRange(FOUR_WEEKS.first, FOUR_WEEKS.last, "UTC"))
    assert [w.cases for w in utc.weeks] == [0, 3, 3, 1]


def test_the_ranges_last_day_ends_at_the_viewers_midnight(shops):
    first_three_weeks = (date(2026, 10, 26), date(2026, 11, 15))
    assert creator_analytics(shops["owner"], DateRange(*first_three_weeks, BERLIN)).total.cases == 5
    assert creator_analytics(shops["owner"], DateRange(*first_three_weeks, "UTC")).total.cases == 6  # c5 too


def test_by_reason_every_reason_and_its_share_of_the_payments(shops):
    reasons = {r.key: r for r in creator_analytics(shops["owner"], FOUR_WEEKS).reasons}
    assert list(reasons) == [reason.value for reason in Reason]
    described = reasons[Reason.NOT_AS_DESCRIBED]
    assert (described.cases, described.refunded, described.auto_refunded, described.responded) == (3, 2, 1, 1)
    assert [a.label for a in described.refunded_amounts] == ["$68.00"]
    assert described.row()["claim_rate"] == 30.0  # 3 cases per the range's 10 payments
    assert described.response_median == 2 * 3600
    assert reasons[Reason.UNAUTHORIZED_TRANSACTION].partial == 1
    assert reasons[Reason.UNAUTHORIZED_TRANSACTION].escalated == 1
    assert reasons[Reason.PRODUCT_UNACCEPTABLE].withdrawn == 1
    assert [a.label for a in reasons[Reason.CANCELED_BEFORE_PAYMENT].refunded_amounts] == ["€30.00"]


def test_by_product_the_most_claimed_first(shops):
    analytics = creator_analytics(shops["owner"], FOUR_WEEKS)
    products = [(p.label, p.cases, p.payments, p.refunded) for p in analytics.products]
    assert products == [("Course", 4, 6, 1), ("Ebook", 2, 3, 2), ("Kurs", 1, 1, 1)]
    assert [a.label for a in analytics.products[1].refunded_amounts] == ["$69.00"]
    assert analytics.products[0].row()["claim_rate"] == 66.7
    page = creator_analytics(shops["owner"], FOUR_WEEKS, product_limit=2)
    assert [p.label for p in page.products] == ["Course", "Ebook"]
    assert page.products_in_range == 3


def test_another_business_sees_only_its_own_figures(shops):
    theirs = creator_analytics(shops["other_owner"], FOUR_WEEKS)
    assert (theirs.total.cases, theirs.total.payments, theirs.total.refunded) == (1, 1, 1)
    assert [a.label for a in theirs.total.refunded_amounts] == ["$99.00"]
    assert [p.label for p in theirs.products] == ["Other"]


def test_an_empty_range_has_zeros_and_no_medians(shops):
    analytics = creator_analytics(shops["owner"], DateRange(date(2025, 1, 6), date(2025, 1, 19), BERLIN))
    total = analytics.total
    assert (total.cases, total.payments, total.refunded, total.responded) == (0, 0, 0, 0)
    assert total.response_median is None and total.response_p90 is None
    assert total.refunded_amounts == ()
    assert [w.cases for w in analytics.weeks] == [0, 0]
    assert analytics.products == [] and analytics.currencies == []
    row = total.row()
    assert (row["claim_rate"], row["refund_rate"], row["response_median_hours"]) == (None, None, None)
    assert (row["refund_rate_text"], row["response_median_text"], row["refunded_text"]) == ("—", "—", "No refunds")


@pytest.mark.parametrize("who", ["buyer", "stranger"])
def test_someone_with_no_business_finds_no_page(shops, who):
    user = shops["buyer"] if who == "buyer" else person("Sam Stranger", "sam@example.com")
    with pytest.raises(NotFound):
        creator_analytics(user, FOUR_WEEKS)
    with pytest.raises(NotFound):
        creator_analytics_page(user, FOUR_WEEKS)


def test_the_page_brings_the_header_badge_along(shops):
    page = creator_analytics_page(shops["owner"], FOUR_WEEKS)
    assert page.open_resolutions == 1  # c6 waits on the creator
    assert page.analytics.total.cases == 7


def test_weeks_of_a_range_starting_midweek_include_its_first_week(shops):
    analytics = creator_analytics(shops["owner"], DateRange(date(2026, 11, 4), date(2026, 11, 10), BERLIN))
    assert [w.key for w in analytics.weeks] == ["2026-11-02", "2026-11-09"]
    assert [w.cases for w in analytics.weeks] == [1, 1]  # c7 (Nov 5); c3 (Nov 10)
    assert analytics.total.cases == 2
