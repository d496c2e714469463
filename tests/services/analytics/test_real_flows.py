"""The analytics read what the real services write: claims, the creator's answers and messages, auto-refunds,
escalations, decisions and appeals, on the demo world. Each test counts only today (the demo's cases opened days
ago), in UTC."""

from datetime import timedelta

from resolution_app.domain.analytics import DateRange
from resolution_app.domain.enums import PaymentMethod
from resolution_app.infra.clock import clock
from resolution_app.services.analytics.creator import creator_analytics
from resolution_app.services.analytics.review import review_analytics
from resolution_app.services.cases import case_actions
from tests.services.review.flows import B, C, act, appealed, decide_appeal, opened


def _today() -> DateRange:
    today = clock.now().date()
    return DateRange(today, today, "UTC")


def test_creator_figures_of_claims_answered_auto_refunded_and_escalated(world):
    messaged = opened(world, PaymentMethod.CARD, 1900)
    auto_refunded = opened(world, PaymentMethod.KLARNA, 19900)  # financing: always refunded at once
    escalated = opened(world, PaymentMethod.PAYPAL, 4900)
    clock.advance(timedelta(hours=1))
    act(world, world.creator, escalated, C, "deny", "Every module is in the course.")
    act(world, world.buyer, escalated, B, "escalate", "Modules 4 to 6 are empty placeholders.")
    clock.advance(timedelta(hours=2))
    case_actions.send_message(world.creator, messaged, C, "Could you tell me which module is missing?")

    total = creator_analytics(world.creator, _today()).total
    assert total.cases == 3
    assert (total.auto_refunded, total.refunded, total.buyer_won) == (1, 1, 1)
    assert [a.label for a in total.refunded_amounts] == ["$199.00"]
    assert total.escalated == 1
    # Answered after 1 and 3 hours; the auto-refund's message is not an answer.
    assert total.responded == 2
    assert total.response_median == 2 * 3600
    assert total.response_p90 == 2.8 * 3600
    assert world.case(auto_refunded).status == "customer_won"


def test_review_figures_of_a_decision_overturned_on_appeal(world):
    case_id = appealed(world, "decide_refund")  # escalated, decided and appealed at the same moment
    clock.advance(timedelta(hours=5))
    decide_appeal(world, case_id, "decide_merchant_wins")

    total = review_analytics(world.reviewer, _today()).total
    assert (total.decisions, total.first_decisions, total.appealed) == (2, 1, 1)
    assert (total.appeal_decisions, total.overturned) == (1, 1)
    assert (total.median, total.p90) == (2.5 * 3600, 4.5 * 3600)  # 0 and 5 hours after entering review
