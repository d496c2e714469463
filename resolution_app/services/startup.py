"""What the app needs before it serves: the schema up to date, and the demo data when it is switched on."""

from resolution_app.infra.migrate import upgrade
from resolution_app.infra.settings import get_settings
from resolution_app.services.demo_data import seed_demo_data


def prepare() -> None:
    upgrade()
    if get_settings().demo_data:
        print("Demo data seeded." if seed_demo_data() else "Demo data already there.")
