"""Saved replies: kept per business by its owners and managers, seen and inserted by every member, filled in from a
case the member may see; another business's replies and cases are "not found", and bad input changes nothing."""

import threading
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update
from sqlmodel import select

from resolution_app.domain.enums import MemberRole, Party, PaymentMethod, PaymentStatus
from resolution_app.domain.errors import Forbidden, InvalidInput, NotFound
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import BusinessMember, Payment, Product, SavedReply, User
from resolution_app.services.cases import case_actions, case_views, claims
from resolution_app.services.creator import saved_replies
from resolution_app.services.demo_data import SAVED_REPLIES
from tests.services.factories import DESCRIPTION
from tests.services.members import add_member, add_person, other_creator, seeded_business_id
from tests.services.test_fuzzed_input import FUZZ, numbers, text, works_or_refuses

THANKS = "Hi {buyer_name}, your {amount} for {product} (case #{case_id}) is on its way."


def _stored() -> list[tuple]:
    """Every saved reply as it is in the database: what a refused change must leave alone."""
    with transaction() as session:
        replies = session.exec(select(SavedReply).order_by(SavedReply.id)).all()
        return [(r.id, r.business_id, r.name, r.body, r.updated_by_id, r.updated_at) for r in replies]


def _names(user: User, search: str = "") -> list[str]:
    return [row.name for row in saved_replies.replies_view(user, search).replies]


def _bob_case(world) -> int:
    return world.case_of("bob@example.com").id


def _other_business_case(owner: User) -> int:
    """A case of the other business (owned by `owner`), opened by a buyer of its own."""
    buyer = add_person("other.buyer@example.com")
    with transaction() as session:
        business_id = session.exec(select(BusinessMember.business_id).where(BusinessMember.user_id == owner.id)).one()
        product = Product(business_id=business_id, name="Other product", price_minor=2500, currency="USD")
        session.add(product)
        session.flush()
        payment = Payment(
            buyer_id=buyer.id,
            business_id=business_id,
            product_id=product.id,
            method=PaymentMethod.CARD,
            status=PaymentStatus.SUCCEEDED,
            amount_minor=2500,
            currency="USD",
            paid_at=clock.now() - timedelta(days=2),
        )
        session.add(payment)
        session.flush()
        payment_id = payment.id
    return claims.open_claim(buyer, payment_id, "not_as_described", DESCRIPTION, [])


def test_the_demo_replies_are_listed_by_name_and_fill_in(world):
    view = saved_replies.replies_view(world.creator)
    assert [row.name for row in view.replies] == sorted(name for name, _ in SAVED_REPLIES)
    assert view.total == len(SAVED_REPLIES) and view.may_manage
    case_id = _bob_case(world)
    for row in view.replies:
        assert "{" not in saved_replies.fill_for_case(world.creator, row.reply_id, case_id)


def test_a_reply_is_added_searched_changed_and_deleted(world):
    creator = world.creator
    reply_id = saved_replies.create_reply(creator, "  Refund   sent ", THANKS)
    row = next(r for r in saved_replies.replies_view(creator).replies if r.reply_id == reply_id)
    assert (row.name, row.preview, row.updated_by, row.updated_at) == (
        "Refund sent",
        THANKS,
        "Casey Creator",
        clock.now(),
    )
    assert saved_replies.reply_text(creator, reply_id).body == THANKS

    assert _names(creator, "REFUND SENT") == ["Refund sent"]  # names and texts, whatever the case
    assert _names(creator, "(case #") == ["Refund sent"]
    assert _names(creator, "%") == []  # a wildcard is a character like any other
    assert _names(creator, "nothing like it") == []

    clock.advance(timedelta(minutes=5))
    manager = add_member("manager@example.com", MemberRole.MANAGER, seeded_business_id())
    saved_replies.update_reply(manager, reply_id, "Refund is sent", "Your refund of {amount} is sent.")
    changed = saved_replies.reply_text(creator, reply_id)
    assert (changed.name, changed.body) == ("Refund is sent", "Your refund of {amount} is sent.")
    row = next(r for r in saved_replies.replies_view(creator).replies if r.reply_id == reply_id)
    assert (row.updated_by, row.updated_at) == ("Manager", clock.now())

    assert saved_replies.delete_reply(manager, reply_id) == "Refund is sent"
    assert "Refund is sent" not in _names(creator)
    with pytest.raises(NotFound):
        saved_replies.delete_reply(creator, reply_id)


def test_filling_uses_the_case_s_buyer_product_amount_and_number(world):
    reply_id = saved_replies.create_reply(world.creator, "Thanks", THANKS)
    case_id = _bob_case(world)
    assert saved_replies.fill_for_case(world.creator, reply_id, case_id) == (
        f"Hi Bob Chen, your $19.00 for Redstone Masterclass (case #{case_id}) is on its way."
    )


def test_a_buyer_s_name_goes_in_and_out_as_plain_text(world):
    """Whatever a buyer calls themselves is words: filled in as it is, sent as it is, and shown as text parts of the
    chat (never a link unless it is http(s), never markup: the page renders text parts as text)."""
    hostile = "<script>alert(1)</script> **Bob** {case_id} [x](javascript:alert(1))"
    case_id = _bob_case(world)
    with transaction() as session:
        session.exec(update(User).where(User.email == "bob@example.com").values(name=hostile))
    reply_id = saved_replies.create_reply(world.creator, "Hello", "Hello {buyer_name}!")
    filled = saved_replies.fill_for_case(world.creator, reply_id, case_id)
    assert filled == f"Hello {hostile}!"

    case_actions.send_message(world.creator, case_id, Party.CREATOR, filled)
    for user, party in ((world.creator, Party.CREATOR), (world.user("bob@example.com"), Party.BUYER)):
        message = case_views.case_detail(user, case_id, party).thread[-1]
        assert message.is_message and "".join(part.text for part in message.body) == filled
        assert all(part.url == "" for part in message.body)


def test_viewers_see_and_insert_replies_but_do_not_change_them(world):
    reply_id = saved_replies.create_reply(world.creator, "Thanks", THANKS)
    viewer = add_member("viewer@example.com", MemberRole.VIEWER, seeded_business_id())
    view = saved_replies.replies_view(viewer)
    assert "Thanks" in [row.name for row in view.replies] and not view.may_manage
    assert not saved_replies.replies_for_case(viewer, _bob_case(world)).may_manage
    assert "Bob Chen" in saved_replies.fill_for_case(viewer, reply_id, _bob_case(world))
    before = _stored()
    with pytest.raises(Forbidden, match="owners and managers"):
        saved_replies.create_reply(viewer, "Mine", "Hello {buyer_name}")
    with pytest.raises(Forbidden):
        saved_replies.update_reply(viewer, reply_id, "Changed", "Changed")
    with pytest.raises(Forbidden):
        saved_replies.delete_reply(viewer, reply_id)
    assert _stored() == before


def test_people_outside_the_business_find_nothing(world):
    reply_id = saved_replies.create_reply(world.creator, "Thanks", THANKS)
    case_id = _bob_case(world)
    before = _stored()
    for outsider in (world.buyer, add_person("stranger@example.com"), world.reviewer):
        with pytest.raises(NotFound):
            saved_replies.replies_view(outsider)
        with pytest.raises(NotFound):
            saved_replies.replies_for_case(outsider, case_id)
        with pytest.raises(NotFound):
            saved_replies.fill_for_case(outsider, reply_id, case_id)
        with pytest.raises(NotFound):
            saved_replies.create_reply(outsider, "Mine", "Hello")
        with pytest.raises(NotFound):
            saved_replies.delete_reply(outsider, reply_id)
    assert _stored() == before


def test_another_business_s_replies_and_cases_are_not_found(world):
    ours = saved_replies.create_reply(world.creator, "Thanks", THANKS)
    owner = other_creator()
    theirs = saved_replies.create_reply(owner, "Theirs", "Hello {buyer_name} from the other business")
    their_case, our_case = _other_business_case(owner), _bob_case(world)
    assert _names(owner) == ["Theirs"]
    assert "Theirs" not in _names(world.creator)
    assert [r.name for r in saved_replies.replies_for_case(owner, their_case).replies] == ["Theirs"]
    before = _stored()

    with pytest.raises(NotFound, match="Saved reply not found"):
        saved_replies.fill_for_case(world.creator, theirs, our_case)  # their reply into our case
    with pytest.raises(NotFound, match="Case not found"):
        saved_replies.fill_for_case(world.creator, ours, their_case)  # our reply into their case
    with pytest.raises(NotFound, match="Case not found"):
        saved_replies.replies_for_case(world.creator, their_case)
    with pytest.raises(NotFound, match="Saved reply not found"):
        saved_replies.fill_for_case(owner, ours, their_case)
    for call in (
        lambda: saved_replies.reply_text(world.creator, theirs),
        lambda: saved_replies.update_reply(world.creator, theirs, "Mine now", "Mine now"),
        lambda: saved_replies.delete_reply(world.creator, theirs),
        lambda: saved_replies.update_reply(owner, ours, "Thanks", "Taken over"),
        lambda: saved_replies.delete_reply(owner, ours),
    ):
        with pytest.raises(NotFound, match="Saved reply not found"):
            call()
    assert _stored() == before
    assert saved_replies.fill_for_case(owner, theirs, their_case) == "Hello Other.Buyer from the other business"


def test_the_same_name_in_another_business_is_fine(world):
    saved_replies.create_reply(world.creator, "Thanks", THANKS)
    saved_replies.create_reply(other_creator(), "thanks", THANKS)


@pytest.mark.parametrize(
    ("name", "body", "field", "said"),
    [
        ("", THANKS, "name", "Name the reply"),
        (" \t\n", THANKS, "name", "Name the reply"),
        ("x" * (DEFAULT_POLICY.saved_reply_name_max_chars + 1), THANKS, "name", "at most 80"),
        ("bell\x07", THANKS, "name", "plain characters"),
        ("Ok", "", "body", "Write the reply's text"),
        ("Ok", "\x00 \x01", "body", "Write the reply's text"),
        ("Ok", "x" * (DEFAULT_POLICY.message_max_chars + 1), "body", "too long"),
        ("Ok", "Hello {foo}", "body", "Unknown placeholder {foo}"),
        ("Ok", "Hello {buyer_name} and {Product}", "body", "Unknown placeholder {Product}"),
        ("Ok", "Hello {buyer_name", "body", "is never closed"),
        ("Ok", "Hello buyer_name}", "body", "closes nothing"),
        ("ASK WHICH EMAIL THEY USED", THANKS, "name", "already a saved reply named"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, name, body, field, said):
    reply_id = saved_replies.create_reply(world.creator, "Thanks", THANKS)
    before = _stored()
    with pytest.raises(InvalidInput, match=said.replace("{", r"\{").replace("}", r"\}")) as refused:
        saved_replies.create_reply(world.creator, name, body)
    assert refused.value.field == field
    with pytest.raises(InvalidInput, match=said.replace("{", r"\{").replace("}", r"\}")):
        saved_replies.update_reply(world.creator, reply_id, name, body)
    assert _stored() == before


def test_a_reply_keeps_its_own_name_in_another_case_but_not_another_s(world):
    reply_id = saved_replies.create_reply(world.creator, "Thanks", THANKS)
    saved_replies.update_reply(world.creator, reply_id, "THANKS", THANKS)
    assert "THANKS" in _names(world.creator)
    with pytest.raises(InvalidInput, match="already"):
        saved_replies.update_reply(world.creator, reply_id, "refund on its way", THANKS)


def test_two_saves_of_one_name_at_once_keep_one(world):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(body: str) -> None:
        barrier.wait()
        try:
            saved_replies.create_reply(world.creator, "Same name", body)
            outcomes.append("saved")
        except InvalidInput:
            outcomes.append("refused")

    threads = [threading.Thread(target=save, args=(body,)) for body in ("One.", "Two.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert _names(world.creator, "Same name") == ["Same name"]


def test_lists_hold_one_window_and_count_the_rest(world):
    shown = DEFAULT_POLICY.saved_replies_shown
    for number in range(shown + 5):
        saved_replies.create_reply(world.creator, f"Reply {number:03}", f"Text {number}")
    view = saved_replies.replies_view(world.creator, "Reply ")
    assert view.total == shown + 5 and len(view.replies) == shown
    assert view.replies[0].name == "Reply 000"
    assert saved_replies.replies_for_case(world.creator, _bob_case(world), "reply 05").total == 5  # 050 to 054


@pytest.fixture
def known_ids(world) -> tuple[st.SearchStrategy[int], st.SearchStrategy[int]]:
    """Ids of replies and cases that exist, beside any number at all."""
    replies = [row.reply_id for row in saved_replies.replies_view(world.creator).replies]
    return numbers | st.sampled_from(replies), numbers | st.just(_bob_case(world))


@FUZZ
@given(data=st.data(), name=text, body=text, search=text)
def test_whatever_the_browser_sends_is_done_or_refused(world, known_ids, data, name, body, search):
    reply_id, case_id = data.draw(known_ids[0]), data.draw(known_ids[1])
    creator = world.creator
    works_or_refuses(lambda: saved_replies.replies_view(creator, search))
    works_or_refuses(lambda: saved_replies.replies_for_case(creator, case_id, search))
    works_or_refuses(lambda: saved_replies.reply_text(creator, reply_id))
    works_or_refuses(lambda: saved_replies.fill_for_case(creator, reply_id, case_id))
    works_or_refuses(lambda: saved_replies.create_reply(creator, name, body))
    works_or_refuses(lambda: saved_replies.update_reply(creator, reply_id, name, body))
