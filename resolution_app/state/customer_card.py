"""The customer card of the creator's and the reviewer's case pages: the logs of the disputed purchase first."""

import reflex as rx

from resolution_app.services.creator.customer_context import CustomerContext


class CustomerCardState(rx.State, mixin=True):
    customer: CustomerContext | None = None
    all_logs: bool = False  # the customer's logs of every purchase, not only the disputed one

    @rx.var
    def has_other_logs(self) -> bool:
        return bool(self.customer and any(not log.this_purchase for log in self.customer.logs))

    @rx.event
    def toggle_all_logs(self):
        self.all_logs = not self.all_logs
