"""The creator's settings pages: auto-respond rules and legal documents."""

import asyncio
from collections.abc import Mapping

import reflex as rx

from resolution_app.domain.enums import LegalDocumentKind
from resolution_app.domain.errors import DomainError, InvalidInput
from resolution_app.infra.evidence import IncomingFile
from resolution_app.services.creator import auto_respond, legal
from resolution_app.services.creator.auto_respond import AutoRespondView
from resolution_app.services.creator.legal import LegalDocumentView
from resolution_app.state.case_page import incoming
from resolution_app.state.creator import CreatorState

CARD_FIELD = "card_below"
PAYPAL_FIELD = "paypal_below"
MESSAGE_FIELD = "custom_message"
REASON_FIELD_PREFIX = "reason_"  # one switch per reason, named reason_<value>
LEGAL_KINDS = [kind.value for kind in LegalDocumentKind]
UNREADABLE_FORM = "The form could not be read. Reload the page and try again."


def legal_text_id(kind: str) -> str:
    return f"legal_text_{kind}"


def legal_upload_id(kind: str) -> str:
    return f"legal_file_{kind}"


def _text_field(form: Mapping, name: str) -> str:
    value = form.get(name, "")
    if not isinstance(value, str):
        raise InvalidInput(UNREADABLE_FORM)
    return value


def _chosen_reasons(form: Mapping) -> list[str]:
    """The reasons whose switch is on; the service refuses names it doesn't know."""
    return [
        str(name).removeprefix(REASON_FIELD_PREFIX)
        for name, value in form.items()
        if str(name).startswith(REASON_FIELD_PREFIX) and value == "on"  # what a switch that is on submits
    ]


class AutoRespondState(CreatorState):
    """/creator/settings/auto-respond: the form shows the saved settings and saves them whole."""

    card_below: str = ""
    paypal_below: str = ""
    reasons: list[str] = []
    custom_message: str = ""
    currency: str = ""
    loaded: bool = False
    # The form's fields are uncontrolled; changing the key remounts them with the values above.
    form_key: int = 0
    error: str = ""
    error_field: str = ""  # the field the refusal is about: the page says it there and focuses it
    notice: str = ""

    def _show(self, view: AutoRespondView) -> None:
        shown = (self.card_below, self.paypal_below, self.reasons, self.custom_message, self.currency)
        fresh = (view.card_below, view.paypal_below, view.reasons, view.custom_message, view.currency)
        if shown != fresh or not self.loaded:
            # Only on a change: on_load also runs on every reconnect, and must not wipe what is being typed.
            self.card_below, self.paypal_below, self.reasons, self.custom_message, self.currency = fresh
            self.form_key += 1
        self.loaded = True

    @rx.event
    async def load_settings(self):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        self.error, self.notice = "", ""
        try:
            self._show(await asyncio.to_thread(auto_respond.settings_view, user))
        except DomainError as error:
            self.error = error.message
        return None

    @rx.event
    async def save(self, form: dict):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        self.error, self.error_field, self.notice = "", "", ""
        try:
            if not isinstance(form, Mapping):
                raise InvalidInput(UNREADABLE_FORM)
            fields = (_text_field(form, CARD_FIELD), _text_field(form, PAYPAL_FIELD))
            reasons, message = _chosen_reasons(form), _text_field(form, MESSAGE_FIELD)
            await asyncio.to_thread(auto_respond.save_settings, user, *fields, reasons, message)
            self._show(await asyncio.to_thread(auto_respond.settings_view, user))
        except DomainError as error:
            self.error, self.error_field = error.message, error.field
            return rx.set_focus(error.field) if error.field else None
        self.notice = "Saved."
        return None


class LegalState(CreatorState):
    """/creator/settings/legal: the versions of both documents, a new one written or uploaded."""

    terms_of_service: list[LegalDocumentView] = []
    refund_policy: list[LegalDocumentView] = []
    # Which document's section the message belongs to, so it shows where the person clicked.
    message_kind: str = ""
    error: str = ""
    notice: str = ""
    busy_kind: str = ""

    async def _refresh(self, user) -> None:  # noqa: ANN001
        documents = await asyncio.to_thread(legal.list_documents, user)
        self.terms_of_service = [d for d in documents if d.kind == LegalDocumentKind.TERMS_OF_SERVICE]
        self.refund_policy = [d for d in documents if d.kind == LegalDocumentKind.REFUND_POLICY]

    def _tell(self, kind: str, *, error: str = "", notice: str = "") -> None:
        self.message_kind, self.error, self.notice = kind, error, notice

    @rx.event
    async def load_documents(self):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        self._tell("")
        self.busy_kind = ""
        try:
            await self._refresh(user)
        except DomainError as error:
            self._tell("", error=error.message)
        return None

    @rx.event
    async def save_text(self, kind: str, text: str):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        kind = str(kind) if kind in LEGAL_KINDS else ""
        try:
            version = await asyncio.to_thread(legal.add_text_version, user, kind, str(text))
        except DomainError as error:
            self._tell(kind, error=error.message)
            return None
        self._tell(kind, notice=f"Saved version {version}.")
        await self._refresh(user)
        return rx.set_value(legal_text_id(kind), "")

    @rx.event
    async def upload_version(self, files: list[rx.UploadFile], kind: str):
        kind = str(kind) if kind in LEGAL_KINDS else ""
        self.busy_kind = kind
        self._tell(kind)
        yield  # the button shows it is working; set here, not in a separate event that could arrive after the upload
        user = await self._creator()
        if user is None:
            self.busy_kind = ""
            yield self._not_creator()
            return
        try:
            version = await asyncio.to_thread(legal.add_file_version, user, kind, _single_upload(files))
        except DomainError as error:
            self.busy_kind = ""
            self._tell(kind, error=error.message)
            return
        self.busy_kind = ""
        self._tell(kind, notice=f"Saved version {version}.")
        await self._refresh(user)
        yield rx.clear_selected_files(legal_upload_id(kind))


def _single_upload(files: list[rx.UploadFile]) -> IncomingFile:
    uploads = incoming(files if isinstance(files, list) else [])
    if not uploads:
        raise InvalidInput("Choose a file to upload.")
    if len(uploads) > 1:
        raise InvalidInput("Upload one file at a time.")
    return uploads[0]
