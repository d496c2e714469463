"""API keys: made by owners and managers, shown once, stored hashed, revoked at once, bound to one business."""

from datetime import timedelta

import pytest
from sqlmodel import select

from resolution_app.domain.enums import ApiScope, MemberRole
from resolution_app.domain.errors import Forbidden, InvalidInput, NotFound
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import ApiKey, Business, BusinessMember
from resolution_app.services.developers import api_keys


def _business_id(world) -> int:
    with transaction() as session:
        return session.exec(select(BusinessMember.business_id).where(BusinessMember.user_id == world.creator.id)).one()


def _join(world, email: str, role: MemberRole) -> None:
    with transaction() as session:
        session.add(BusinessMember(business_id=_business_id(world), user_id=world.user(email).id, role=role))


def test_a_key_is_shown_once_and_kept_only_as_its_hash(world):
    business_id = _business_id(world)
    made = api_keys.create_key(world.creator, "  Help desk ", "read")
    assert made.secret.startswith(api_keys.KEY_PREFIX) and len(made.secret) > 40
    with transaction() as session:
        stored = session.get(ApiKey, made.key_id)
    assert made.secret not in (stored.key_hash, stored.shown_prefix) and made.secret.startswith(stored.shown_prefix)
    (row,) = api_keys.keys_view(world.creator).keys
    assert (row.name, row.scope_label, row.created_by, row.last_used_at) == ("Help desk", "Read", "Casey Creator", None)
    caller = api_keys.authenticate(made.secret)
    assert (caller.business_id, caller.scope, caller.user_id, caller.may_write) == (
        business_id,
        ApiScope.READ,
        world.creator.id,
        False,
    )
    assert api_keys.keys_view(world.creator).keys[0].last_used_at == clock.now()


def test_last_used_is_written_at_most_once_a_minute(world):
    made = api_keys.create_key(world.creator, "Bot", "read_write")
    assert api_keys.authenticate(made.secret).may_write
    first_use = clock.now()
    clock.advance(timedelta(seconds=30))
    api_keys.authenticate(made.secret)
    assert api_keys.keys_view(world.creator).keys[0].last_used_at == first_use
    clock.advance(timedelta(seconds=31))
    api_keys.authenticate(made.secret)
    assert api_keys.keys_view(world.creator).keys[0].last_used_at == clock.now()


@pytest.mark.parametrize(
    "secret", ["", "rc_key_", "rc_key_not-a-key", "Bearer rc_key_x", "rc_key_" + "x" * 300, "\x00", "ключ"]
)
def test_unknown_and_malformed_keys_speak_for_nobody(world, secret):
    api_keys.create_key(world.creator, "Real", "read")
    assert api_keys.authenticate(secret) is None


def test_a_revoked_key_is_refused_at_once(world):
    made = api_keys.create_key(world.creator, "Old", "read")
    api_keys.revoke_key(world.creator, made.key_id)
    assert api_keys.authenticate(made.secret) is None
    assert api_keys.keys_view(world.creator).keys == []
    with pytest.raises(NotFound):
        api_keys.revoke_key(world.creator, made.key_id)  # gone already


def test_a_key_loses_its_access_when_its_maker_leaves_the_business(world):
    _join(world, "buyer@example.com", MemberRole.MANAGER)
    made = api_keys.create_key(world.buyer, "Manager's bot", "read")
    assert api_keys.authenticate(made.secret) is not None
    with transaction() as session:
        member = session.exec(select(BusinessMember).where(BusinessMember.user_id == world.buyer.id)).one()
        session.delete(member)
    assert api_keys.authenticate(made.secret) is None


def test_viewers_see_keys_but_neither_make_nor_revoke_them(world):
    made = api_keys.create_key(world.creator, "Desk", "read")
    _join(world, "buyer@example.com", MemberRole.VIEWER)
    seen = api_keys.keys_view(world.buyer)
    assert ([row.key_id for row in seen.keys], seen.may_manage) == ([made.key_id], False)
    with pytest.raises(Forbidden):
        api_keys.create_key(world.buyer, "Mine", "read")
    with pytest.raises(Forbidden):
        api_keys.revoke_key(world.buyer, made.key_id)
    assert api_keys.authenticate(made.secret) is not None


def test_another_business_never_sees_or_touches_a_key(world):
    made = api_keys.create_key(world.creator, "Desk", "read")
    with pytest.raises(NotFound):  # a buyer, no member of any business
        api_keys.keys_view(world.buyer)
    with transaction() as session:
        other = Business(name="Other Co", created_at=clock.now())
        session.add(other)
        session.flush()
        session.add(BusinessMember(business_id=other.id, user_id=world.buyer.id, role=MemberRole.OWNER))
    assert api_keys.keys_view(world.buyer).keys == []  # their own business's keys: none
    with pytest.raises(NotFound):
        api_keys.revoke_key(world.buyer, made.key_id)
    theirs = api_keys.create_key(world.buyer, "Theirs", "read_write")
    assert api_keys.authenticate(theirs.secret).business_id != _business_id(world)
    assert [row.key_id for row in api_keys.keys_view(world.creator).keys] == [made.key_id]
    assert api_keys.authenticate(made.secret).business_id == _business_id(world)


@pytest.mark.parametrize(
    ("name", "scope", "field"),
    [
        ("", "read", "name"),
        ("   ", "read", "name"),
        ("x" * 81, "read", "name"),
        ("a\nb", "read", "name"),
        ("Desk", "admin", "scope"),
        ("Desk", "", "scope"),
    ],
)
def test_bad_names_and_scopes_are_refused_and_nothing_is_made(world, name, scope, field):
    with pytest.raises(InvalidInput) as refused:
        api_keys.create_key(world.creator, name, scope)
    assert refused.value.field == field
    assert api_keys.keys_view(world.creator).keys == []
