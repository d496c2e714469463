"""The buyer portal: purchases, opening a claim, and the buyer's cases."""

import asyncio

import reflex as rx

from resolution_app.domain.enums import REASON_LABELS, Party
from resolution_app.domain.errors import DomainError
from resolution_app.services.buyers import balance, purchases
from resolution_app.services.buyers.balance import Balance
from resolution_app.services.buyers.purchases import PurchaseRow
from resolution_app.services.cases import case_views, claims
from resolution_app.services.cases.case_views import CaseSummary
from resolution_app.state.case_page import CasePageState, incoming
from resolution_app.state.ids import parse_id
from resolution_app.state.session import SessionState

CLAIM_UPLOAD_ID = "claim_files"
FIELD_IDS = {"reason": "reason", "description": "description", "files": CLAIM_UPLOAD_ID}  # what a refusal focuses


class PurchasesState(SessionState):
    purchases: list[PurchaseRow] = []
    loaded: bool = False  # until then the page shows placeholders, never "No purchases yet"

    @rx.event
    async def load_purchases(self):
        user, found = await self._as_user(purchases.list_purchases)
        if user is None:
            return self._login_redirect()
        self.purchases, self.loaded = found, True


class BalanceState(SessionState):
    balance: Balance | None = None

    @rx.event
    async def load_balance(self):
        user, found = await self._as_user(balance.buyer_balance)
        if user is None:
            return self._login_redirect()
        self.balance = found
        return None


class ClaimState(SessionState):
    product: str = ""
    business: str = ""
    amount: str = ""
    refusal: str = ""
    found: bool = False
    error: str = ""
    error_field: str = ""  # the form field the refusal is about: the page says it there and focuses it
    submitting: bool = False
    description_length: int = 0

    @rx.var
    def reasons(self) -> list[list[str]]:
        return [[reason.value, label] for reason, label in REASON_LABELS.items()]

    def _payment_id(self) -> int | None:
        return parse_id(self.router.url.path.rstrip("/").split("/")[-2])

    @rx.event
    async def load_claim(self):
        user = await self._user()
        if user is None:
            return self._login_redirect()
        self.error, self.error_field, self.submitting, self.description_length = "", "", False, 0
        self.found = False
        payment_id = self._payment_id()
        if payment_id is None:
            return None
        try:
            payment = await asyncio.to_thread(claims.claimable_payment, user, payment_id)
        except DomainError as error:
            self.error = error.message
            return None
        self.found = True
        self.product, self.business, self.amount = payment.product, payment.business, payment.amount
        self.refusal = payment.refusal or ""

    @rx.event
    def count_description(self, text: str):
        self.description_length = len(str(text))

    @rx.event
    async def submit_claim(self, files: list[rx.UploadFile], reason: str, description: str):
        self.submitting, self.error, self.error_field = True, "", ""
        yield  # set here, not in a separate event that could arrive after the upload
        user, payment_id = await self._user(), self._payment_id()
        if user is None or payment_id is None:
            self.submitting = False
            yield self._login_redirect() if user is None else None
            return
        try:
            case_id = await asyncio.to_thread(
                claims.open_claim, user, payment_id, str(reason), str(description), incoming(files)
            )
        except DomainError as error:
            self.error, self.error_field, self.submitting = error.message, error.field, False
            yield rx.set_focus(FIELD_IDS.get(error.field, "reason"))
            return
        self.submitting = False
        self.just_opened_case = case_id
        yield [rx.clear_selected_files(CLAIM_UPLOAD_ID), rx.redirect(f"/cases/{case_id}")]


class BuyerCasesState(SessionState):
    cases: list[CaseSummary] = []
    loaded: bool = False

    @rx.event
    async def load_cases(self):
        user, found = await self._as_user(case_views.buyer_cases)
        if user is None:
            return self._login_redirect()
        self.cases, self.loaded = found, True


class BuyerCaseState(CasePageState, SessionState):
    _party = Party.BUYER
