from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "wangge.cases"
    label = "cases"
    verbose_name = _("事件工单")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_delete

        from wangge.cases import categories, selectors, services, sla
        from wangge.cases.models import CalendarDay, Case, Category, WorkingHours
        from wangge.cases.retention import refuse_case_deletion
        from wangge.cases.signals import card_given
        from wangge.core import media, warmup

        def _warm() -> None:
            sla.calendar()
            categories.suggest("楼道里堆满了杂物，影响通行")

        warmup.register("cases", _warm)
        media.register("cases", selectors.attachment_visible)

        def _categories_changed(**kwargs: object) -> None:
            categories.invalidate_leaves()

        def _calendar_changed(**kwargs: object) -> None:
            sla.invalidate_calendar()

        for signal in (post_save, post_delete):
            signal.connect(_categories_changed, sender=Category, weak=False)
            signal.connect(_calendar_changed, sender=CalendarDay, weak=False)
            signal.connect(_calendar_changed, sender=WorkingHours, weak=False)

        pre_delete.connect(refuse_case_deletion, sender=Case, weak=False)
        card_given.connect(services.card_given_receiver, sender=Case, dispatch_uid="cases.card")
