"""Background jobs of the points ledger and mall."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.points.expiry import expire_due

logger = logging.getLogger(__name__)


# Huey's scheduler runs in UTC: 16:10 UTC is 00:10 in Asia/Shanghai, just after the local
# year turns on 1 January. It runs every night so points that were held for a voucher on New
# Year's Eve lapse once the voucher is released.
@db_periodic_task(crontab(hour="16", minute="10"))
def points_expiry() -> None:
    expired = expire_due()
    if expired:
        logger.info("Points expiry: %d points expired", expired)
