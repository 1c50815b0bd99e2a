import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from wangge.assistant import index
from wangge.assistant.retrieval import evaluate


class Command(BaseCommand):
    help = "用 JSONL（{query, expected_id}，expected_id 为 null 表示知识库答不了）评测小原帮办"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
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
            rows.append(row)
        retriever = index.retriever()
        if not len(retriever):
            raise CommandError(_("知识库为空：先运行 import_kb"))
        m = evaluate(retriever, rows)
        in_scope = sum(1 for r in rows if r.get("expected_id") is not None)
        self.stdout.write(
            f"queries={len(rows)} in_scope={in_scope} out_of_scope={len(rows) - in_scope}\n"
            f"hit@1={m['hit@1']:.3f} hit@3={m['hit@3']:.3f} MRR={m['mrr']:.3f}\n"
            f"abstain_precision={m['abstain_precision']:.3f} "
            f"abstain_recall={m['abstain_recall']:.3f}"
        )
