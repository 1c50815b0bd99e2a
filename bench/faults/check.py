"""Compare what the load client was acknowledged (a JSON-lines log) with the database.

    DATABASE_URL=… python bench/faults/check.py acknowledged.jsonl

Prints one JSON object of counts; every *_missing and *_twice count must be 0.
"""

import json
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")

import django

django.setup()

from django.db.models import Sum  # noqa: E402

from wangge.accounts.models import User  # noqa: E402
from wangge.cases.models import Case, CaseEvent  # noqa: E402
from wangge.points.models import Entry, Transfer, Voucher  # noqa: E402


def main(log: Path) -> dict[str, object]:
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    resident = User.objects.get(phone="13800000014")
    out: dict[str, object] = {}

    cases = [r for r in rows if r["kind"] == "case"]
    keys = {f"u{resident.pk}:{r['key']}" for r in cases}
    found = Counter(
        Case.objects.filter(channel="resident", external_id__in=keys).values_list(
            "external_id", flat=True
        )
    )
    out["cases_acknowledged"] = len(keys)
    out["cases_missing"] = sum(1 for k in keys if found[k] == 0)
    out["cases_twice"] = sum(1 for v in found.values() if v > 1)
    ids = {r["id"] for r in cases}
    present = set(Case.objects.filter(pk__in=ids).values_list("pk", flat=True))
    out["acknowledged_ids_missing"] = len(ids - present)

    orders = {r["key"] for r in rows if r["kind"] == "order"}
    found = Counter(
        Case.objects.filter(channel="hotline", external_id__in=orders).values_list(
            "external_id", flat=True
        )
    )
    out["orders_acknowledged"] = len(orders)
    out["orders_missing"] = sum(1 for k in orders if found[k] == 0)
    out["orders_twice"] = sum(1 for v in found.values() if v > 1)

    signs = {r["id"] for r in rows if r["kind"] in ("sign", "sign_conflict")}
    found_signs = Counter(
        CaseEvent.objects.filter(case_id__in=signs, action="sign").values_list("case_id", flat=True)
    )
    out["signs_acknowledged"] = len(signs)
    out["signs_missing"] = sum(1 for k in signs if found_signs[k] == 0)
    out["signs_twice"] = sum(1 for v in found_signs.values() if v > 1)

    # Nothing half-written: every case of the run has exactly one intake timeline row.
    intake = Counter(
        CaseEvent.objects.filter(case_id__in=ids, action="intake").values_list("case_id", flat=True)
    )
    out["cases_without_intake_row"] = sum(1 for pk in present if intake[pk] == 0)
    out["intake_rows_twice"] = sum(1 for v in intake.values() if v > 1)

    # Ledger: each acknowledged redemption is one voucher and one hold transfer on the ledger.
    redeemed = {r["key"] for r in rows if r["kind"] == "redemption"}
    vouchers = Counter(
        Voucher.objects.filter(owner=resident, idempotency_key__in=redeemed).values_list(
            "idempotency_key", flat=True
        )
    )
    holds = Counter(
        Transfer.objects.filter(
            idempotency_key__in=[f"voucher:{resident.pk}:{k}" for k in redeemed]
        ).values_list("idempotency_key", flat=True)
    )
    out["redemptions_acknowledged"] = len(redeemed)
    out["vouchers_missing"] = sum(1 for k in redeemed if vouchers[k] == 0)
    out["vouchers_twice"] = sum(1 for v in vouchers.values() if v > 1)
    out["ledger_holds_missing"] = sum(
        1 for k in redeemed if holds[f"voucher:{resident.pk}:{k}"] == 0
    )
    # Every transfer balances: its entries sum to zero.
    unbalanced = (
        Entry.objects.values("transfer_id").annotate(total=Sum("amount")).exclude(total=0).count()
    )
    out["ledger_transfers_unbalanced"] = unbalanced

    ledger = Counter(Transfer.objects.values_list("idempotency_key", flat=True))
    out["ledger_transfers"] = sum(ledger.values())
    out["ledger_keys_twice"] = sum(1 for v in ledger.values() if v > 1)

    refused = [r for r in rows if r["kind"] == "refused"]
    out["answers_5xx"] = len(refused)
    out["answers_5xx_not_503_json"] = sum(1 for r in refused if r["status"] != 503 or not r["json"])
    out["details_seen"] = sorted({r["detail"] for r in refused if r.get("detail")})
    out["no_answer"] = sum(1 for r in rows if r["kind"] == "no_answer")
    return out


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), ensure_ascii=False))
