from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_phone
from wangge.accounts.models import User
from wangge.cases.models import Case, CaseEvent
from wangge.core.db import analyze
from wangge.grids.services import ImportRejected
from wangge.hotline.history import BATCH, HistoryReport, history_counted, history_import
from wangge.hotline.models import HotlineOrder


class Command(BaseCommand):
    help = (
        "导入 12345 平台导出的历史工单（CSV 或 XLSX；列：工单编号、受理时间、诉求内容、事发地址、"
        "分类、办结时间，可选承办单位、满意度、诉求人、诉求人电话/来电号码、工单标题、诉求类型），"
        "作为已结案的历史事件：用于训练分类模型并计入当时各月的考核，不派单、不通知、不回传。"
        "文件有任何问题则整体拒绝并逐行列出；已导入的工单编号跳过"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--no-place",
            action="store_true",
            help=_("不按地址定位到微网格（默认：已导入网格时定位，与受理时相同的地址解析）"),
        )
        parser.add_argument(
            "--no-calendar",
            action="store_true",
            help=_(
                "不从 chinese-calendar 补充导入工单所在年份缺少的节假日安排"
                "（默认补充；缺少安排的年份按周一至周五计算时限并标记为暂定）"
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("只检查文件，不写入"))
        parser.add_argument("--by", metavar="PHONE", help=_("导入人的手机号（记入办理记录）"))
        parser.add_argument("--batch", type=int, default=BATCH, help=_("每批写入的工单数"))

    def handle(
        self,
        *args: Any,
        file: Path,
        no_place: bool,
        no_calendar: bool,
        dry_run: bool,
        by: str | None,
        batch: int,
        **options: Any,
    ) -> None:
        if not file.is_file():
            raise CommandError(_("找不到文件 %(f)s") % {"f": file})
        actor = self._actor(by) if by else None
        verbosity = int(options.get("verbosity", 1))

        def progress(done: int, total: int) -> None:
            if verbosity >= 1:
                self.stdout.write(_("已写入 %(d)d / %(t)d") % {"d": done, "t": total})

        try:
            report = history_import(
                path=file,
                actor=actor,
                place=not no_place,
                fill_calendar=not no_calendar,
                dry_run=dry_run,
                batch_size=max(batch, 1),
                progress=progress,
            )
        except ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(exc.message) from exc
        if report.imported and not dry_run:
            # Statistics first: the KPI recount and the desk's next queries are planned on them.
            analyze(Case, CaseEvent, HotlineOrder)
            history_counted(report)
        self._say(report)

    def _actor(self, phone: str) -> User:
        try:
            normalized = normalize_phone(phone)
        except Exception as exc:  # Django's ValidationError
            raise CommandError(_("导入人手机号格式不正确")) from exc
        user = User.objects.filter(phone=normalized).first()
        if user is None:
            raise CommandError(_("找不到手机号为 %(p)s 的用户") % {"p": phone})
        return user

    def _say(self, r: HistoryReport) -> None:
        out = self.stdout.write
        out(_("文件 %(f)s（%(e)s）：%(n)d 行工单") % {"f": r.file, "e": r.encoding, "n": r.rows})
        for year in r.calendar_loaded:
            out(_("已从 chinese-calendar 补充导入 %(y)d 年的节假日安排") % {"y": year})
        if r.dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "检查通过（未写入）：可导入 %(new)d 条，已存在 %(old)d 条，"
                        "文件内重复 %(rep)d 条"
                    )
                    % {
                        "new": r.to_import,
                        "old": r.skipped_existing,
                        "rep": r.skipped_repeats,
                    }
                )
            )
            return
        if r.imported:
            if r.place_tried:
                out(
                    _("定位到微网格（或专属网格）%(p)d 条，未能定位 %(u)d 条")
                    % {"p": r.placed, "u": r.imported - r.placed}
                )
            else:
                out(_("未定位（未导入网格或使用了 --no-place）：事件记在辖区顶层"))
            out(_("按分类："))
            for label, n in sorted(r.by_category.items(), key=lambda kv: (-kv[1], kv[0])):
                out(f"  {label}：{n}")
            months = sorted(r.months)
            out(
                _("计入考核的月份：%(first)s 至 %(last)s（考核计数已刷新）")
                % {"first": months[0], "last": months[-1]}
            )
        if r.provisional:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "%(n)d 条工单的时限按周一至周五计算（%(years)s 年无节假日安排），"
                        "已标记为暂定；按期办结的判断可能有偏差"
                    )
                    % {
                        "n": r.provisional,
                        "years": "、".join(map(str, sorted(r.provisional_years))),
                    }
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "导入完成：新增 %(new)d 条历史工单，跳过已存在 %(old)d 条，"
                    "跳过文件内重复 %(rep)d 条"
                )
                % {"new": r.imported, "old": r.skipped_existing, "rep": r.skipped_repeats}
            )
        )
