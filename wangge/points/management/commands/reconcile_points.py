from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wangge.points.reconcile import reconcile


class Command(BaseCommand):
    help = "核对活力值账本与兑换库存（每晚自动运行一次）；有差异时退出码为 1"

    def handle(self, *args: Any, **options: Any) -> None:
        report = reconcile()
        totals = report.totals
        self.stdout.write(
            f"issued {totals['issued']}, spent {totals['spent']}, expired {totals['expired']}, "
            f"wallets {totals['wallets']}, items {totals['items']}"
        )
        if not report.ok:
            for p in report.problems:
                self.stdout.write(f"[{p['check']}] {p['detail']}")
            raise CommandError(f"{len(report.problems)} difference(s), report #{report.pk}")
        self.stdout.write(self.style.SUCCESS(f"no differences, report #{report.pk}"))
