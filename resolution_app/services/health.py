"""Is the app able to serve: database reachable, evidence storage reachable."""

from sqlalchemy import text

from resolution_app.infra.db import transaction
from resolution_app.infra.storage import new_key
from resolution_app.services.files import get_store


def problems() -> list[str]:
    found = []
    try:
        with transaction() as session:
            session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - health reports any failure
        found.append(f"database: {type(error).__name__}")
    try:
        get_store().exists(new_key())  # any well-formed key: we only ask whether storage answers
    except Exception as error:  # noqa: BLE001
        found.append(f"storage: {type(error).__name__}")
    return found
