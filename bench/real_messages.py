"""Build CSVs of REAL labelled citizen messages (政务留言) from fetched git mirrors.

    python bench/real_messages.py [--mirrors /work/.mirror] [--out var/real_messages]
    python bench/real_messages.py --repo Syucryingstar/NLP_tipdm=/path/to/git-dir \\
                                  --repo jesHrz/tipdm=/path/to/git-dir

The messages were written by real citizens on a provincial 问政 board and labelled by the
board's staff; nobody in this project wrote or labelled any of them. They are read straight
out of bare git mirrors (``git --git-dir=... show COMMIT:path``) at pinned commits; nothing is
downloaded. The mirrors are the ones the search tool's ``fetch`` leaves under
``/work/.mirror/<owner>+<name>/…`` (the git dir is ``repo`` or ``repo/.git``).

Source: 第八届泰迪杯数据挖掘挑战赛 (TipDM Cup 2020) C题 “智慧政务中的文本挖掘应用”
------------------------------------------------------------------------------------
附件2 of the problem holds 9,210 messages from a 问政 board (place names anonymised as
A市, A1区 …, B市 …, the province as 西地省; the replies in 附件4 say 《问政西地省》), each with
its 一级标签 given by the board: 城乡建设, 环境保护, 交通运输, 教育文体, 劳动和社会保障,
商贸旅游, 卫生计生. 附件2 itself (≈5 MB) is too large for the mirrors (files of 4 MiB or more
are left out), so it is rebuilt from the pieces competitors committed:

* ``Syucryingstar/NLP_tipdm`` @ 90f547148e944ba44da8e0f937580a00c8c48a6f
    - ``结果数据/分类结果.xlsx``: a stratified 10 % hold-out of the full 附件2 (921 rows) with
      the original columns 留言编号, 留言用户, 留言主题, 留言时间, 留言详情, 一级标签 (plus the
      team's own 模型结果, which is ignored).
    - ``示例数据/2.xlsx``: the organisers' sample of 附件2 (495 rows, same columns).
    - ``全部数据/附件3.xlsx`` (4,326 messages) and ``全部数据/附件4.xlsx`` (2,816 messages with
      replies): the same board, unlabelled in the problem; a message from them is kept only
      when it is also in 附件2 (see below), with 附件2's label.
* ``jesHrz/tipdm`` @ 4223fed076357fc3081387a86a202bcafe2e3b43
    - ``过程数据/T1/原始数据集分词结果.xlsx``: all 9,210 rows of 附件2 in order, as
      (jieba-segmented 留言主题+留言详情 with stop words and most Latin letters removed,
      一级标签). Not raw text, but every label of 附件2.

Outputs (UTF-8, columns ``id,title,text,label``; the source has no finer label than the
一级标签, so there is no ``sublabel`` column):

* ``tipdm2020c.csv``: the raw messages as written (title = 留言主题, text = 留言详情 with
  runs of whitespace collapsed). ``id`` is ``fj2:<留言编号>`` for rows of 附件2 and
  ``fj3:…`` / ``fj4:…`` for rows of 附件3/附件4 whose label was carried over from 附件2. The
  carry-over matches a raw message to a segmented 附件2 row when the segmented row's CJK
  characters are a subsequence of the message's and exactly one label matches; on the
  rows whose label is known it agrees with the label every time (checked and printed).
* ``tipdm2020c_segmented.csv``: all 9,210 segmented rows of 附件2 (``id`` ``seg:<row>``,
  empty title, text = the segmented tokens joined by spaces). Larger, but preprocessed:
  use it only as a second, distorted view of the same board.

Licence: neither repository has a LICENSE file or a licence statement in its README, and
the competition data comes from the TipDM organisers without an open licence (it was
released for the competition). So the data is NOT committed to this repository and must
not be: only this script, which rebuilds the CSVs from the mirrors into ``var/`` (git-
ignored). No second, independent labelled source small enough for the mirrors was found.

Both CSVs are deduplicated on exact (title, text) and drop empty texts; the script prints
the counts per label and the text-length distribution.
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import re
import statistics
import subprocess
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MIRRORS = Path("/work/.mirror")
DEFAULT_OUT = ROOT / "var" / "real_messages"

SYU = "Syucryingstar/NLP_tipdm"
SYU_COMMIT = "90f547148e944ba44da8e0f937580a00c8c48a6f"
JES = "jesHrz/tipdm"
JES_COMMIT = "4223fed076357fc3081387a86a202bcafe2e3b43"

LABELS = ("城乡建设", "环境保护", "交通运输", "教育文体", "劳动和社会保障", "商贸旅游", "卫生计生")

_WS = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Message:
    id: str
    title: str
    text: str
    label: str


# --------------------------------------------------------------------------- git + xlsx


def find_git_dir(mirrors: Path, repo: str) -> Path:
    """The bare git dir of ``repo`` under ``mirrors`` (``owner+name/repo`` or ``…/repo/.git``)."""
    base = mirrors / repo.replace("/", "+")
    for cand in (base / "repo", base / "repo" / ".git", base / ".git", base):
        if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
            return cand
    raise SystemExit(f"no git mirror of {repo} under {base} (fetch github:{repo} first)")


def git_show(git_dir: Path, commit: str, path: str) -> bytes:
    try:
        return subprocess.run(
            ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],
            check=True,
            capture_output=True,
        ).stdout
    except subprocess.CalledProcessError as exc:
        err = exc.stderr.decode(errors="replace").strip()
        raise SystemExit(f"cannot read {commit[:10]}:{path} in {git_dir}: {err}") from exc


def xlsx_rows(data: bytes) -> list[tuple]:
    """Non-empty rows of the first sheet (openpyxl, read-only)."""
    import openpyxl  # the project's dependency; imported late so --help works without it

    warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        return [r for r in ws.iter_rows(values_only=True) if any(c not in (None, "") for c in r)]
    finally:
        wb.close()


def as_records(rows: Sequence[tuple]) -> Iterator[dict[str, object]]:
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    for r in rows[1:]:
        yield dict(zip(header, r, strict=False))


# --------------------------------------------------------------------------- normalising


def clean(value: object) -> str:
    if value is None:
        return ""
    return _WS.sub(" ", str(value).replace("\u3000", " ").replace("\xa0", " ")).strip()


def msg_id(value: object) -> str:
    s = clean(value)
    return s[:-2] if s.endswith(".0") else s


def cjk(s: str) -> str:
    return "".join(_CJK.findall(s))


def is_subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


# --------------------------------------------------------------------------- TipDM 2020 C


def read_fj2_rows(syu: Path) -> list[Message]:
    """The labelled raw rows of 附件2: the 921-row hold-out and the 495-row sample."""
    out: list[Message] = []
    for path in ("结果数据/分类结果.xlsx", "示例数据/2.xlsx"):
        for rec in as_records(xlsx_rows(git_show(syu, SYU_COMMIT, path))):
            label = clean(rec.get("一级标签") or rec.get("一级分类"))
            out.append(
                Message(
                    id=f"fj2:{msg_id(rec.get('留言编号'))}",
                    title=clean(rec.get("留言主题")),
                    text=clean(rec.get("留言详情")),
                    label=label,
                )
            )
    return out


def read_unlabelled(syu: Path) -> list[Message]:
    out: list[Message] = []
    for tag, path in (("fj3", "全部数据/附件3.xlsx"), ("fj4", "全部数据/附件4.xlsx")):
        for rec in as_records(xlsx_rows(git_show(syu, SYU_COMMIT, path))):
            out.append(
                Message(
                    id=f"{tag}:{msg_id(rec.get('留言编号'))}",
                    title=clean(rec.get("留言主题")),
                    text=clean(rec.get("留言详情")),
                    label="",
                )
            )
    return out


def read_segmented(jes: Path) -> list[Message]:
    rows = xlsx_rows(git_show(jes, JES_COMMIT, "过程数据/T1/原始数据集分词结果.xlsx"))
    out = []
    for i, r in enumerate(rows, start=1):  # no header row: every row is (tokens, label)
        out.append(Message(id=f"seg:{i}", title="", text=clean(r[0]), label=clean(r[1])))
    return out


class SegmentIndex:
    """Finds the segmented 附件2 rows whose CJK characters are a subsequence of a raw message."""

    def __init__(self, segmented: Sequence[Message]):
        self.rows = [(cjk(m.text), m.label, m.text.split()) for m in segmented]
        self.by_bigram: dict[str, list[int]] = collections.defaultdict(list)
        for i, (_c, _label, toks) in enumerate(self.rows):
            for tok in toks[:6]:
                ct = cjk(tok)
                if len(ct) >= 2:
                    self.by_bigram[ct[:2]].append(i)

    def labels_for(self, m: Message) -> set[str]:
        hay = cjk(m.title) + cjk(m.text)
        title_bigrams = {cjk(m.title)[i : i + 2] for i in range(max(0, len(cjk(m.title)) - 1))}
        cands: set[int] = set()
        for bg in title_bigrams:
            cands.update(self.by_bigram.get(bg, ()))
        found = set()
        for i in cands:
            needle, label, _toks = self.rows[i]
            if len(needle) >= 8 and is_subsequence(needle, hay):
                found.add(label)
        return found


def dedupe(messages: Iterable[Message]) -> tuple[list[Message], collections.Counter]:
    """Drop empty texts, repeated ids and exact (title, text) repeats; count what was dropped."""
    seen_ids: set[str] = set()
    seen_text: dict[tuple[str, str], str] = {}
    dropped: collections.Counter = collections.Counter()
    out = []
    for m in messages:
        if not m.text:
            dropped["empty text"] += 1
            continue
        if not m.label:
            dropped["no label"] += 1
            continue
        if m.id in seen_ids:
            dropped["repeated id"] += 1
            continue
        key = (m.title, m.text)
        if key in seen_text:
            dropped[
                "exact duplicate" if seen_text[key] == m.label else "duplicate, other label"
            ] += 1
            continue
        seen_ids.add(m.id)
        seen_text[key] = m.label
        out.append(m)
    return out, dropped


def build_tipdm(syu: Path, jes: Path) -> dict[str, list[Message]]:
    fj2 = read_fj2_rows(syu)
    segmented = read_segmented(jes)
    index = SegmentIndex(segmented)

    # Check the carry-over on the rows whose label we know. The organisers' 495-row sample
    # labels a couple of messages differently from the full 附件2 (and lists one message
    # twice with two labels): such rows are dropped rather than guessed.
    agree = unmatched = 0
    conflicts: list[tuple[Message, str]] = []
    for m in fj2:
        got = index.labels_for(m)
        if len(got) != 1:
            unmatched += 1
        elif got == {m.label}:
            agree += 1
        else:
            conflicts.append((m, next(iter(got))))
    dropped_ids = ", ".join(f"{m.id} {m.label}≠{full}" for m, full in conflicts)
    print(
        f"carry-over check on 附件2 rows with a label: {agree} agree, "
        f"{len(conflicts)} disagree (dropped: {dropped_ids}), "
        f"{unmatched} not matched to exactly one label"
    )
    fj2 = [m for m in fj2 if m not in {c for c, _full in conflicts}]

    carried = []
    for m in read_unlabelled(syu):
        got = index.labels_for(m)
        if len(got) == 1:
            carried.append(Message(m.id, m.title, m.text, next(iter(got))))
    print(f"附件3/附件4 messages found in 附件2 and given its label: {len(carried)}")

    raw, dropped_raw = dedupe([*fj2, *carried])
    seg, dropped_seg = dedupe(segmented)
    for name, dropped in (("tipdm2020c", dropped_raw), ("tipdm2020c_segmented", dropped_seg)):
        if dropped:
            print(f"{name}: dropped " + ", ".join(f"{n} {k}" for k, n in dropped.items()))
    return {"tipdm2020c": raw, "tipdm2020c_segmented": seg}


# --------------------------------------------------------------------------- output


def write_csv(path: Path, messages: Sequence[Message]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "title", "text", "label"])
        for m in messages:
            w.writerow([m.id, m.title, m.text, m.label])


def pct(values: Sequence[int], q: float) -> int:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def report(name: str, path: Path, messages: Sequence[Message]) -> None:
    counts = collections.Counter(m.label for m in messages)
    unknown = sorted(set(counts) - set(LABELS))
    print(f"\n{name}: {len(messages)} messages -> {path}")
    for label, n in counts.most_common():
        print(f"  {label:<10} {n:5d}  {100 * n / len(messages):5.1f} %")
    if unknown:
        print(f"  (labels outside the 7 一级标签: {unknown})")
    for what, lens in (
        ("text", [len(m.text) for m in messages]),
        ("title+text", [len(m.title) + len(m.text) for m in messages]),
    ):
        print(
            f"  {what} length (chars): median {statistics.median(lens):.0f}, "
            f"p5 {pct(lens, 0.05)}, p95 {pct(lens, 0.95)}, max {max(lens)}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--mirrors", type=Path, default=DEFAULT_MIRRORS, help="where fetch put the mirrors"
    )
    ap.add_argument(
        "--repo",
        action="append",
        default=[],
        metavar="OWNER/NAME=GIT_DIR",
        help="explicit git dir of a mirror (overrides --mirrors for that repo)",
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = ap.parse_args(argv)

    explicit = dict(item.split("=", 1) for item in args.repo)
    git_dirs = {
        repo: Path(explicit[repo]) if repo in explicit else find_git_dir(args.mirrors, repo)
        for repo in (SYU, JES)
    }
    for repo, d in git_dirs.items():
        print(f"{repo}: {d}")

    built = build_tipdm(git_dirs[SYU], git_dirs[JES])
    for name, messages in built.items():
        path = args.out / f"{name}.csv"
        write_csv(path, messages)
        report(name, path, messages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
