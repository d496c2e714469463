"""The Reflex app: pages, API routes and the in-process job worker."""

import reflex as rx

from resolution_app.api.routes import api
from resolution_app.api.upload_guard import UploadGuard
from resolution_app.infra.tab_failover import failover_for_tabs
from resolution_app.jobs.worker import worker_in_app
from resolution_app.pages import auth, buyer, creator
from resolution_app.pages.analytics import creator_analytics_page, review_analytics_page
from resolution_app.pages.creator_payments import payments_page
from resolution_app.pages.creator_settings import auto_respond_page, legal_page
from resolution_app.pages.developers import developers_page
from resolution_app.pages.notifications import notification_settings_page, notifications_page
from resolution_app.pages.review import queue_page, review_case_page
from resolution_app.pages.saved_replies import saved_replies_page
from resolution_app.state.analytics import CreatorAnalyticsState, ReviewAnalyticsState
from resolution_app.state.buyer import BalanceState, BuyerCasesState, BuyerCaseState, ClaimState, PurchasesState
from resolution_app.state.creator import CreatorCaseState, CreatorPaymentsState, CreatorTableState
from resolution_app.state.creator_settings import AutoRespondState, LegalState
from resolution_app.state.developers import DevelopersState
from resolution_app.state.forgotten_tabs import ForgottenTabs
from resolution_app.state.notifications import NotificationSettingsState, NotificationsState
from resolution_app.state.review import ReviewCaseState, ReviewQueueState
from resolution_app.state.saved_replies import SavedRepliesState
from resolution_app.state.session import SessionState
from resolution_app.state.webhooks import WebhooksState

app = rx.App(api_transformer=[api, UploadGuard], stylesheets=["/app.css"])
app.add_middleware(ForgottenTabs())


def index() -> rx.Component:
    return rx.center(rx.spinner(), height="100vh")


app.add_page(index, route="/", on_load=SessionState.go_home, title="Resolution Center")
app.add_page(auth.login_page, route="/login", title="Log in · Resolution Center")
app.add_page(auth.signup_page, route="/signup", title="Sign up · Resolution Center")
app.add_page(buyer.purchases_page, route="/purchases", on_load=PurchasesState.load_purchases, title="Purchases")
app.add_page(buyer.balance_page, route="/balance", on_load=BalanceState.load_balance, title="Your balance")
app.add_page(buyer.claim_page, route="/purchases/[payment_id]/claim", on_load=ClaimState.load_claim, title="Claim")
app.add_page(buyer.cases_page, route="/cases", on_load=BuyerCasesState.load_cases, title="Your cases")
app.add_page(buyer.buyer_case_page, route="/cases/[case_id]", on_load=BuyerCaseState.load_case, title="Case")
app.add_page(
    auto_respond_page,
    route="/creator/settings/auto-respond",
    on_load=AutoRespondState.load_settings,
    title="Auto-respond",
)
app.add_page(legal_page, route="/creator/settings/legal", on_load=LegalState.load_documents, title="Legal documents")
app.add_page(
    saved_replies_page,
    route="/creator/settings/saved-replies",
    on_load=SavedRepliesState.load_replies,
    title="Saved replies",
)
app.add_page(
    developers_page,
    route="/creator/settings/developers",
    on_load=[DevelopersState.load_keys, WebhooksState.load_endpoints],
    title="Developers",
)
app.add_page(
    creator.resolutions_page, route="/creator/resolutions", on_load=CreatorTableState.load_table, title="Resolutions"
)
app.add_page(
    creator.creator_case_page, route="/creator/resolutions/[case_id]", on_load=CreatorCaseState.load_case, title="Case"
)

app.add_page(payments_page, route="/creator/payments", on_load=CreatorPaymentsState.load_payments, title="Payments")
app.add_page(
    creator_analytics_page,
    route="/creator/analytics",
    on_load=CreatorAnalyticsState.load_analytics,
    title="Analytics",
)

app.add_page(
    notifications_page,
    route="/notifications",
    on_load=NotificationsState.load_notifications,
    title="Notifications",
)
app.add_page(
    notification_settings_page,
    route="/settings/notifications",
    on_load=NotificationSettingsState.load_settings,
    title="Notification settings",
)
app.add_page(queue_page, route="/review", on_load=ReviewQueueState.load_queue, title="Review queue")
app.add_page(
    review_analytics_page,
    route="/review/analytics",
    on_load=ReviewAnalyticsState.load_analytics,
    title="Review analytics",
)
app.add_page(review_case_page, route="/review/[case_id]", on_load=ReviewCaseState.load_case, title="Case under review")

app.register_lifespan_task(worker_in_app)
app.register_lifespan_task(failover_for_tabs)
