"""Background jobs of the points ledger and mall."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.points.expiry import expire_due
from wangge.points.mall import vouchers_timeout as release_timed_out_vouchers
from wangge.points.reconcile import reconcile

logger = logging.getLogger(__name__)


# Huey's scheduler runs in UTC: 16:10 UTC is 00:10 in Asia/Shanghai, just after the local
# year turns on 1 January. It runs every night so points that were held for a voucher on New
# Year's Eve lapse once the voucher is released.
@db_periodic_task(crontab(hour="16", minute="10"))
def points_expiry() -> None:
    expired = expire_due()
    if expired:
        logger.info("Points expiry: %d points expired", expired)


@db_periodic_task(crontab(minute="*/5"))
def vouchers_timeout() -> None:
    """Every five minutes: vouchers past their time release their points and stock."""
    released = release_timed_out_vouchers()
    if released:
        logger.info("Vouchers timed out: %d released", released)


# 18:30 UTC is 02:30 in Asia/Shanghai: after the day's redemptions and the expiry run.
@db_periodic_task(crontab(hour="18", minute="30"))
def points_reconcile() -> None:
    report = reconcile()
    if not report.ok:
        logger.warning("Points reconciliation: %d difference(s)", len(report.problems))
