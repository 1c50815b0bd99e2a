from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wangge.assistant import index
from wangge.assistant.kbfile import read_rows
from wangge.assistant.services import KbImportRejected, kb_embed, kb_import
from wangge.core.db import analyze
from wangge.core.errors import ValidationFailed

# Progress is told every this many items (and at the last).
PROGRESS_EVERY = 50


class Command(BaseCommand):
    help = (
        "导入小原帮办知识库（JSONL 每行一个对象，或同列名的 .xlsx）；按 id 更新。"
        "返回前算好条目向量和判定阈值"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="以文件替换整个知识库（删除文件中没有的条目）"
        )

    def handle(self, *args: Any, file: Path, replace: bool, **options: Any) -> None:
        try:
            # No job is queued: the vectors and the bars are made below, before this returns,
            # so a base is never served by words alone because no worker ran.
            result = kb_import(rows=read_rows(file), replace=replace, jobs=False)
        except KbImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(exc.message) from exc
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：新增 %(c)d 条，更新 %(u)d 条，删除 %(d)d 条")
                % {"c": result.created, "u": result.updated, "d": result.deleted}
            )
        )
        self._vectors_and_bars()
        analyze(*apps.get_app_config("assistant").get_models())

    def _vectors_and_bars(self) -> None:
        if index.encoder() is None:
            self.stdout.write(_("未安装语义模型：小原仅按词语检索。正在学习判定阈值……"))
        else:
            self.stdout.write(_("正在计算条目向量……"))

        def told(done: int, total: int) -> None:
            if done % PROGRESS_EVERY == 0 or done == total:
                self.stdout.write(_("条目向量：已完成 %(n)d / %(t)d") % {"n": done, "t": total})

        kb_embed(progress=told, calibrate_now=True)
        state = index.coverage()
        if state.encoder is None:
            self.stdout.write(self.style.SUCCESS(_("判定阈值已学好；检索方式：仅按词语匹配")))
            return
        if state.without_vectors:
            raise CommandError(
                _("有 %(n)d 个条目没有向量，这些条目暂时只按词语检索")
                % {"n": state.without_vectors}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(n)d 个条目均已计算向量，判定阈值已学好；检索方式：词语 + 语义（%(key)s）")
                % {"n": state.items, "key": state.encoder}
            )
        )
