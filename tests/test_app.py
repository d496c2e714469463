"""The Reflex app module imports and registers every route of DESIGN §8 built so far (a fast check before e2e)."""

from resolution_app.resolution_app import app

ROUTES = [
    "login",
    "signup",
    "purchases",
    "purchases/[payment_id]/claim",
    "cases",
    "cases/[case_id]",
    "creator/resolutions",
    "creator/resolutions/[case_id]",
    "creator/payments",
    "creator/analytics",
    "review/analytics",
    "review",
    "review/[case_id]",
    "creator/settings/auto-respond",
    "creator/settings/legal",
    "notifications",
    "settings/notifications",
]


def test_every_route_is_registered():
    registered = set(app._unevaluated_pages)
    assert set(ROUTES) <= registered, set(ROUTES) - registered
