"""The tests' database set-back (tests/databases.py): what a test starts from is what it would be had it been made
afresh, the seeded demo world included."""

from sqlalchemy import Engine, text

from resolution_app.services.demo_data import seed_demo_data
from tests.databases import KEPT_TABLES, Contents, contents, empty_tables, restore


def readable(engine: Engine) -> dict[str, object]:
    """Every table's rows as sorted lines of text (their order on disk differs between a heap the services filled and
    one COPY filled), and where every sequence stands."""
    with engine.connect() as connection:
        names = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
        cursor = connection.connection.driver_connection.cursor()
        tables = {}
        for name in names.all():
            with cursor.copy(f'COPY "{name}" TO STDOUT') as copy:
                tables[name] = sorted(b"".join(copy).splitlines())
        sequences = connection.execute(
            text("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        ).all()
    return {"tables": tables, "sequences": sorted(sequences)}


def test_tables_put_back_hold_what_they_held(database, store, frozen_clock):
    seed_demo_data()  # through the services, as the `seeded` fixture does: most tables, the job queue's included
    made = readable(database)
    kept = contents(database)
    empty_tables(database)
    restore(database, kept)
    assert readable(database) == made
    assert len([rows for rows in made["tables"].values() if rows]) >= 10, "the demo world fills most tables"
    assert made["tables"]["procrastinate_jobs"] and made["tables"]["procrastinate_events"]


def test_emptied_tables_hold_nothing_and_ids_start_over(database, seeded: Contents):
    restore(database, seeded)
    empty_tables(database)
    emptied = readable(database)
    assert all(rows == [] for name, rows in emptied["tables"].items() if name not in KEPT_TABLES)
    assert emptied["tables"]["alembic_version"], "the migrations' own table is kept"
    assert all(last is None for _, last in emptied["sequences"])
    with database.begin() as connection:
        made = connection.execute(
            text("INSERT INTO business (name, currency, created_at) VALUES ('B', 'USD', now()) RETURNING id")
        ).scalar_one()
    assert made == 1
