import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wangge.assistant import index
from wangge.assistant.evaluation import ALL, evaluate_by_kind, expected_of, format_table


class Command(BaseCommand):
    help = (
        "用 JSONL 评测小原帮办：每行 {query, expected, kind}，expected 为条目编号，"
        "null 表示不应回答（投诉、超出范围、闲聊）；旧格式的 expected_id 也可读。"
        "按 kind 分别输出 hit@1（只计直接回答）、hit@3（回答或候选）、MRR、"
        "拒答精确率/召回率和答错率"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--misses", action="store_true", help="列出每条答错或未答的问题")

    def handle(self, *args: Any, file: Path, misses: bool, **options: Any) -> None:
        rows = []
        try:
            lines = file.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(_("第 %(n)d 行不是 JSON") % {"n": number}) from exc
            if not isinstance(row, dict) or not str(row.get("query") or "").strip():
                raise CommandError(_("第 %(n)d 行缺少 query") % {"n": number})
            if "expected" not in row and "expected_id" not in row:
                raise CommandError(_("第 %(n)d 行缺少 expected") % {"n": number})
            rows.append(row)
        retriever = index.retriever()
        if not len(retriever):
            raise CommandError(_("知识库为空：先运行 import_kb"))
        by_kind, missed = evaluate_by_kind(retriever, rows)
        m = by_kind[ALL]
        in_scope = sum(1 for r in rows if expected_of(r) is not None)
        self.stdout.write(format_table(by_kind) + "\n")
        self.stdout.write(
            f"queries={len(rows)} in_scope={in_scope} out_of_scope={len(rows) - in_scope}\n"
            f"hit@1={m['hit@1']:.3f} hit@3={m['hit@3']:.3f} MRR={m['mrr']:.3f}\n"
            f"abstain_precision={m['abstain_precision']:.3f} "
            f"abstain_recall={m['abstain_recall']:.3f}\n"
            f"wrong_rate={m['wrong_rate']:.3f} wrong_of_answers={m['wrong_of_answers']:.3f}"
        )
        if misses:
            for miss in missed:
                self.stdout.write(json.dumps(miss, ensure_ascii=False))
