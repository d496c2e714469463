"""Is the app able to serve: the database and the evidence storage answer."""

from collections.abc import Callable

from sqlalchemy import text

from resolution_app.infra.db import read
from resolution_app.infra.storage import new_key
from resolution_app.services.files import get_store


def database_answers() -> None:
    with read() as session:
        session.execute(text("SELECT 1"))


def storage_answers() -> None:
    get_store().exists(new_key())  # any well-formed key: we only ask whether storage answers


CHECKS: dict[str, Callable[[], None]] = {"database": database_answers, "storage": storage_answers}
