"""One command for development and demos: the web server and the job worker in one process."""

import logging
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from wangge.core.jobs import HUEY, load_jobs

logger = logging.getLogger(__name__)


def _short(job: str) -> str:
    """`wangge.cases.tasks.sla_sweep` → `cases.sla_sweep`, for the start-up line."""
    return job.removeprefix("wangge.").replace(".tasks.", ".")


class Command(BaseCommand):
    help = "启动 Web 服务和后台任务处理（同一进程）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-worker", action="store_true", help="不在本进程内运行后台任务")

    def handle(self, *args: Any, host: str, port: str, no_worker: bool, **options: Any) -> None:
        consumer = None
        if not no_worker and not settings.HUEY.get("immediate"):
            jobs = load_jobs()
            consumer = HUEY.create_consumer(workers=2, worker_type="thread", periodic=True)
            # start() would also install signal handlers that fight runserver's; start the
            # scheduler and worker threads directly instead.
            consumer.scheduler.start()
            for _name, worker in consumer.worker_threads:
                worker.start()
            self.stdout.write(
                _("后台任务处理已启动（进程内，2 个线程），%(n)d 个定时任务：%(names)s")
                % {"n": len(jobs), "names": "、".join(_short(j) for j in jobs)}
            )
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)
