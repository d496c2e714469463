import pytest

from resolution_app.infra.settings import Settings, SettingsError, get_settings


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("SESSION_IDLE_MINUTES", "abc", "SESSION_IDLE_MINUTES"),
        ("SESSION_ABSOLUTE_HOURS", "0", "SESSION_ABSOLUTE_HOURS"),
        ("STORAGE_URL", "ftp://files", "file:// or s3://"),
        ("DATABASE_URL", "mysql://db", "postgresql://"),
        ("DATABASE_URL", "sqlite:///data/resolution.db", "postgresql://"),
        ("JOB_WORKER_IN_APP", "sometimes", "JOB_WORKER_IN_APP"),
        ("DEMO_DATA", "maybe", "DEMO_DATA"),
    ],
)
def test_a_bad_value_stops_start_up_with_its_name(monkeypatch, tmp_path, name, value, says):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match=says):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_safe_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    for name in ("DATABASE_URL", "STORAGE_URL", "DEMO_DATA", "ALLOWED_ORIGINS", "SECRET_KEY", "JOB_WORKER_IN_APP"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    with pytest.raises(SettingsError, match="DATABASE_URL is not set"):
        settings.postgres_url  # noqa: B018 - nothing runs on a database nobody named
    assert settings.job_worker_in_app is True
    assert settings.demo_data is False
    assert settings.origins == ["http://localhost:3000", "http://127.0.0.1:3000"]
    secret = settings.signing_secret
    assert len(secret) > 40 and secret == Settings().signing_secret  # generated once, then kept
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_reaches_psycopg_and_sqlalchemy_alike(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://app:secret@db.internal:5432/resolution")
    settings = Settings()
    assert settings.postgres_url == "postgresql://app:secret@db.internal:5432/resolution"
    assert settings.sqlalchemy_url == "postgresql+psycopg://app:secret@db.internal:5432/resolution"
