import pytest
from sqlmodel import select

from resolution_app.domain.enums import CaseStatus, MemberRole, PaymentMethod
from resolution_app.domain.errors import Forbidden, InvalidInput, NotFound
from resolution_app.infra.db import transaction
from resolution_app.models import CaseEvent, Message
from resolution_app.services.cases import claims
from resolution_app.services.creator.auto_respond import AutoRespondView, save_settings, settings_view
from tests.services.factories import DESCRIPTION
from tests.services.members import add_member, other_creator, seeded_business_id

APOLOGY = "Sorry the course let you down. Your refund is on its way."
OFF = AutoRespondView(card_below="", paypal_below="", reasons=[], custom_message="", currency="USD")


def _save(user, card: str = "", paypal: str = "", reasons: list[str] | None = None, message: str = "") -> None:
    save_settings(user, card, paypal, reasons or [], message)


def _claim(world, email: str, method: PaymentMethod, amount_minor: int, reason: str = "not_as_described"):
    payment = world.payment(email, method, amount_minor)
    return world.case(claims.open_claim(world.user(email), payment.id, reason, DESCRIPTION, []))


def test_a_business_without_settings_has_every_rule_off(world):
    assert settings_view(world.creator) == OFF


def test_saved_settings_read_back_as_the_form_shows_them(world):
    _save(world.creator, "25", "$49.5", ["not_as_described", "product_not_received"], f"  {APOLOGY}\n")
    assert settings_view(world.creator) == AutoRespondView(
        card_below="25.00",
        paypal_below="49.50",
        reasons=["product_not_received", "not_as_described"],  # the reasons' own order, whatever was sent
        custom_message=APOLOGY,
        currency="USD",
    )
    _save(world.creator)  # empty fields turn every rule off again
    assert settings_view(world.creator) == OFF


@pytest.mark.parametrize(
    ("card", "paypal", "reasons", "message", "error"),
    [
        ("-5", "", [], "", "Auto-refund card payments below: The amount can't be negative."),
        ("10000.01", "", [], "", "Auto-refund card payments below: The amount can be at most $10,000.00."),
        ("", "lots", [], "", "Auto-refund PayPal payments below: 'lots' is not an amount."),
        ("", "19.999", [], "", "Auto-refund PayPal payments below: USD amounts have at most 2 decimals."),
        ("9" * 5000, "", [], "", "Auto-refund card payments below: That amount is too long."),
        ("", "", ["refund_everything"], "", "Unknown reason in the auto-refund reasons."),
        ("", "", [], "x" * 2001, "The custom message can be at most 2,000 characters."),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(world, card, paypal, reasons, message, error):
    _save(world.creator, "25", "10", ["product_not_received"], APOLOGY)
    before = settings_view(world.creator)
    with pytest.raises(InvalidInput) as refused:
        _save(world.creator, card, paypal, reasons, message)
    assert refused.value.message.startswith(error)
    assert settings_view(world.creator) == before


def test_a_viewer_reads_the_settings_but_may_not_change_them(world):
    viewer = add_member("viewer@example.com", MemberRole.VIEWER, seeded_business_id())
    _save(world.creator, "25")
    with pytest.raises(Forbidden):
        _save(viewer, "500")
    assert settings_view(viewer).card_below == "25.00"


def test_a_manager_may_change_the_settings(world):
    manager = add_member("manager@example.com", MemberRole.MANAGER, seeded_business_id())
    _save(manager, "30")
    assert settings_view(world.creator).card_below == "30.00"


def test_a_buyer_has_no_settings_to_read_or_change(world):
    with pytest.raises(NotFound):
        settings_view(world.buyer)
    with pytest.raises(NotFound):
        _save(world.buyer, "500")


def test_another_business_only_ever_reaches_its_own_settings(world):
    stranger = other_creator()
    _save(world.creator, "25")
    _save(stranger, "5")
    assert settings_view(stranger).card_below == "5.00"
    assert settings_view(world.creator).card_below == "25.00"


def test_card_claim_under_the_threshold_is_refunded_with_the_custom_message(world):
    _save(world.creator, "25", message=APOLOGY)
    case = _claim(world, "frank@example.com", PaymentMethod.CARD, 1900)
    assert case.status == CaseStatus.CUSTOMER_WON and case.paid_out
    with transaction() as session:
        messages = session.exec(select(Message).where(Message.case_id == case.id)).all()
        event = session.exec(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "auto_refund")
        ).one()
    assert [m.body for m in messages] == [APOLOGY]
    assert "Card payment at or below $25.00" in event.detail and APOLOGY in event.detail


@pytest.mark.parametrize(
    ("card", "paypal", "method", "amount", "refunded"),
    [
        ("19", "", PaymentMethod.CARD, 1900, True),  # at the threshold counts
        ("18.99", "", PaymentMethod.CARD, 1900, False),
        ("", "49", PaymentMethod.PAYPAL, 4900, True),
        ("", "48.99", PaymentMethod.PAYPAL, 4900, False),
        ("100", "", PaymentMethod.PAYPAL, 4900, False),  # a card threshold says nothing about PayPal
    ],
)
def test_thresholds_decide_by_method_and_amount(world, card, paypal, method, amount, refunded):
    _save(world.creator, card, paypal)
    case = _claim(world, "buyer@example.com", method, amount)
    assert case.status == (CaseStatus.CUSTOMER_WON if refunded else CaseStatus.MERCHANT_RESPONSE_NEEDED)


@pytest.mark.parametrize(("reason", "refunded"), [("product_not_received", True), ("not_as_described", False)])
def test_only_the_chosen_reasons_are_refunded(world, reason, refunded):
    _save(world.creator, reasons=["product_not_received"])
    case = _claim(world, "buyer@example.com", PaymentMethod.CARD, 1900, reason)
    assert case.status == (CaseStatus.CUSTOMER_WON if refunded else CaseStatus.MERCHANT_RESPONSE_NEEDED)


def test_financing_is_refunded_with_every_rule_off_and_no_message_posted(world):
    _save(world.creator)
    case = _claim(world, "buyer@example.com", PaymentMethod.KLARNA, 19900)
    assert case.status == CaseStatus.CUSTOMER_WON
    with transaction() as session:
        assert session.exec(select(Message).where(Message.case_id == case.id)).all() == []


@pytest.mark.parametrize(
    ("card", "paypal", "message", "field"),
    [("-5", "", "", "card_below"), ("", "a lot", "", "paypal_below"), ("", "", "x" * 2001, "custom_message")],
)
def test_a_refusal_names_the_field_it_is_about(world, card, paypal, message, field):
    with pytest.raises(InvalidInput) as refused:
        save_settings(world.creator, card, paypal, [], message)
    assert refused.value.field == field
