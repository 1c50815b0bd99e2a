"""wangge.core.pinyin: pypinyin's phrase dictionary, read compactly, reads exactly as pypinyin's
own load does: the same phrases, the same readings, the same words found in a sentence."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypinyin.constants import PHRASES_DICT

from wangge.core import pinyin

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_compact_dictionary_is_pypinyins_own() -> None:
    own = json.loads(pinyin.PHRASES_FILE.read_text(encoding="utf-8"))
    compact = pinyin.read_phrases()
    assert compact == own
    assert len(compact) > 40_000
    # What this process's pypinyin reads from, however it was loaded.
    assert own == PHRASES_DICT


def test_equal_readings_are_one_list() -> None:
    compact = pinyin.read_phrases()
    lists = {id(readings) for value in compact.values() for readings in value}
    assert len(lists) < 2_000  # of about 144,000 per-character readings


def test_a_malformed_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "phrases.json"
    bad.write_text('{"银行": [["yín"], ["háng"]] "长大": [["zhǎng"], ["dà"]]}', encoding="utf-8")
    with pytest.raises(ValueError, match="expected"):
        pinyin.read_phrases(bad)


def test_phrases_decide_the_reading_of_a_polyphonic_character() -> None:
    assert pinyin.lazy_pinyin("中国银行行长重新调整") == [
        "zhong",
        "guo",
        "yin",
        "hang",
        "hang",
        "zhang",
        "chong",
        "xin",
        "tiao",
        "zheng",
    ]
    # One character alone has all its readings, phrase dictionary or not.
    assert pinyin.pinyin("重", style=pinyin.Style.NORMAL, heteronym=True) == [
        ["zhong", "chong", "tong"]
    ]


_SENTENCES = "中国银行行长重新调整了公积金缴存基数；灾后倒塌房屋重建，便宜的公墓，公交车上落下东西"

_READ = f"""
import sys
{{prelude}}
from pypinyin import lazy_pinyin, pinyin
print(repr((lazy_pinyin({_SENTENCES!r}), pinyin({_SENTENCES!r}, heteronym=True))))
print("pypinyin.phrases_dict" in sys.modules)
"""


def _read_in_a_new_process(prelude: str, **env: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _READ.format(prelude=prelude)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    ).stdout
    return out.splitlines()


def test_a_process_reads_the_same_with_either_load() -> None:
    full_readings, full_loaded = _read_in_a_new_process("")
    compact_readings, compact_loaded = _read_in_a_new_process("import wangge.core.pinyin")
    assert full_loaded == "True"  # pypinyin's own load
    assert compact_loaded == "False"  # this module's
    assert compact_readings == full_readings


def test_phrases_turned_off_by_the_environment_stay_off() -> None:
    env = {"PYPINYIN_NO_PHRASES": "1"}
    without = _read_in_a_new_process("", **env)
    assert _read_in_a_new_process("import wangge.core.pinyin", **env) == without
    assert without[0] != _read_in_a_new_process("")[0]  # 行长 is hang zhang only with them
