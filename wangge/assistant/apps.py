from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "wangge.assistant"
    label = "assistant"
    verbose_name = _("小原帮办")

    def ready(self) -> None:
        from wangge.assistant import index, tasks
        from wangge.core import health, warmup

        warmup.register("assistant", index.warm)
        health.register("assistant", index.health)
        index.register_calibrate_job(tasks.kb_calibrate_task)
        index.register_embed_job(tasks.kb_embed_task)
