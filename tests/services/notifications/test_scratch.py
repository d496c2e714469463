from resolution_app.services.notifications import delivery
from resolution_app.infra.db import transaction
from resolution_app.models import OutboundEmail
from sqlmodel import select
from tests.services.review.flows import opened
from tests.services.notifications.conftest import send_through
from tests.services.notifications.smtp_server import refusing_port

def test_look(mail_world, smtp, frozen_clock):
    case_id = opened(mail_world)
    print(delivery.deliver_due())
    print(smtp.received[0].data.decode())
    with refusing_port() as url:
        send_through(url)
        opened(mail_world, amount=4900, method="paypal")
        print(delivery.deliver_due())
    with transaction() as s:
        for e in s.exec(select(OutboundEmail).order_by(OutboundEmail.id.desc()).limit(2)):
            print(e)
