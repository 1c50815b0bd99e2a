from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from huey.exceptions import TaskLockedException

from wangge.cases.tasks import classifier_train_job


class Command(BaseCommand):
    help = (
        "用已确认分类的事件（派单员确认或更正、导入的历史工单）训练分类模型，在留出的验证数据上"
        "评估，优于在用模型时采用并以全部数据重新训练；后台任务每晚自动执行"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="不优于在用模型时也采用（请说明理由后使用）"
        )

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        try:
            message = classifier_train_job(force=force)
        except TaskLockedException as exc:
            raise CommandError(_("另一次分类模型训练正在进行，请稍后再试")) from exc
        self.stdout.write(message)
