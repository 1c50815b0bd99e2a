from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "wangge.cases"
    label = "cases"
    verbose_name = _("事件工单")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

        from wangge.cases import categories, receivers, selectors, sla
        from wangge.cases.confidential import refuse_saving_a_shown_copy
        from wangge.cases.models import (
            CalendarDay,
            Case,
            Category,
            CategoryAdjustment,
            WorkingHours,
        )
        from wangge.cases.retention import refuse_case_deletion
        from wangge.core import media, warmup

        def _warm() -> None:
            sla.calendar()
            categories.suggest("楼道里堆满了杂物，影响通行")

        warmup.register("cases", _warm)
        media.register("cases", selectors.attachment_visible)

        # A receiver is kept once per (dispatch_uid, sender) on each signal.
        for signal in (post_save, post_delete):
            for catalogue in (Category, CategoryAdjustment):
                signal.connect(
                    receivers.categories_changed, sender=catalogue, dispatch_uid="cases.categories"
                )
            for model in (CalendarDay, WorkingHours):
                signal.connect(
                    receivers.calendar_changed, sender=model, dispatch_uid="cases.calendar"
                )

        pre_delete.connect(refuse_case_deletion, sender=Case, dispatch_uid="cases.retention")
        pre_save.connect(refuse_saving_a_shown_copy, sender=Case, dispatch_uid="cases.confidential")
