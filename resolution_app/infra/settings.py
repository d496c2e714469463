"""One settings object, read from environment variables and validated at start-up."""

import os
import secrets
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where the local database, emails and secrets live.")
    database_url: str = Field(default="", description="postgresql://…; `make run` starts a local one when empty.")
    storage_url: str = Field(default="file://uploads", description="file://folder or s3://bucket?endpoint=…")
    smtp_url: str = Field(default="", description="smtp://user:pass@host:port; empty writes .eml files.")
    secret_key: str = Field(default="", description="Signs download links; empty means one kept in the data folder.")
    session_idle_minutes: int = Field(default=60 * 12, gt=0, le=60 * 24 * 30)
    session_absolute_hours: int = Field(default=24 * 14, gt=0, le=24 * 90)
    download_link_seconds: int = Field(default=300, gt=0, le=3600)
    demo_data: bool = False
    allowed_origins: str = Field(default="http://localhost:3000,http://127.0.0.1:3000")
    public_api_url: str = Field(default="http://localhost:3000", description="Where browsers reach the backend.")
    public_url: str = Field(
        default="", description="Where people open the app: links in emails. Empty: PUBLIC_API_URL."
    )
    mail_from: str = Field(
        default="", description="The From of notification emails; empty: no-reply at PUBLIC_URL's host."
    )
    smtp_timeout_seconds: float = Field(
        default=20, gt=0, le=300, description="Per SMTP step: a hung server is a retry."
    )
    reflex_redis_url: str = Field(default="", description="Redis for Reflex's tab states, when several workers serve.")
    job_worker_in_app: bool = Field(default=True, description="Run one job worker inside each app process.")
    webhook_allow_private_urls: bool = Field(
        default=False, description="Let webhooks reach http:// and private addresses: local development and tests."
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if value and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a postgresql:// URL")
        return value.replace("postgres://", "postgresql://", 1)

    @field_validator("storage_url")
    @classmethod
    def _known_storage(cls, value: str) -> str:
        if not value.startswith(("file://", "s3://")):
            raise ValueError("must start with file:// or s3://")
        return value

    @property
    def postgres_url(self) -> str:
        """DATABASE_URL, which everything that runs on the database needs."""
        if not self.database_url:
            raise SettingsError(
                "DATABASE_URL is not set: `make run` starts a local PostgreSQL and sets it for the app; "
                "anywhere else, set it to a postgresql:// URL."
            )
        return self.database_url

    @property
    def sqlalchemy_url(self) -> str:
        return self.postgres_url.replace("postgresql://", "postgresql+psycopg://", 1)

    @property
    def app_url(self) -> str:
        return (self.public_url or self.public_api_url).rstrip("/")

    @property
    def mail_domain(self) -> str:
        """The host of the app's address: the right side of Message-IDs and of the default From."""
        return urlsplit(self.app_url).hostname or "localhost"

    @property
    def mail_sender(self) -> str:
        return self.mail_from or f"Resolution Center <no-reply@{self.mail_domain}>"

    @property
    def origins(self) -> list[str]:
        return [origin.strip() for origin in self.allowed_origins.split(",") if origin.strip()]

    @property
    def signing_secret(self) -> str:
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        path.parent.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError):  # made private from its first byte; made once, even by two processes
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as secret_file:
                secret_file.write(secrets.token_urlsafe(48))
        return path.read_text().strip()


class SettingsError(SystemExit):
    pass


@lru_cache
def get_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors())
        raise SettingsError(f"Invalid settings: {problems}") from None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings
