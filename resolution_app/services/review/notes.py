"""Internal notes: what reviewers tell each other about a case. Only reviewers ever read them: no buyer's or
creator's page, timeline, export or notification is built from this table."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from resolution_app.domain.claims import validate_message
from resolution_app.domain.enums import Party
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import ReviewNote, User
from resolution_app.services.access import require_case, require_reviewer


@dataclass(frozen=True)
class NoteView:
    author: str
    at: datetime
    body: str


def add_note(user: User, case_id: int, body: str) -> None:
    """Any reviewer may note something on any case, claimed or not, open or closed."""
    require_reviewer(user)
    text = validate_message(body)
    with transaction() as session:
        case = require_case(session, user, case_id, Party.REVIEWER)
        session.add(ReviewNote(case_id=case.id, author_id=user.id, body=text, created_at=clock.now()))


def case_notes(session: Session, case_id: int) -> list[NoteView]:
    """Oldest first. The caller has checked the reader is a reviewer."""
    rows = session.exec(
        select(ReviewNote, User.name)
        .join(User, User.id == ReviewNote.author_id)
        .where(ReviewNote.case_id == case_id)
        .order_by(ReviewNote.id)
    )
    return [NoteView(author=name, at=note.created_at, body=note.body) for note, name in rows]
