"""Submission as a department and a reviewer use it: submit, refused edits, return with comments, approve, verify."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from zzperf.cli import main
from zzperf.review import load_submission, read_log, read_only_reason
from zzperf.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent

FILL_IN = """
[indicators."input.config.three_public_change"]
score = 1
reason = "“三公”经费上年数据未能取得，按预算控制情况评分。"
status = "confirmed"

[indicators."process.execution.procurement"]
score = 1
reason = "政府采购预算未单列，按执行情况评分。"
status = "confirmed"

[indicators."effect.satisfaction.service"]
score = 1
reason = "未开展满意度调查，按投诉情况评分。"
status = "confirmed"
"""


def run(*args: str, cwd: Path, user: str = "部门评价组") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200", "ZZPERF_USER": user}
    return subprocess.run(
        [sys.executable, "-m", "zzperf", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    assert main(["demo", str(tmp_path / "demo"), "--no-open"]) == 0
    return tmp_path / "demo"


@pytest.fixture
def ready(demo: Path) -> Path:
    """The demo with every indicator scored and its one 勾稽 error corrected (by hand, before submission)."""
    accounts = demo / "2018" / "accounts.toml"
    accounts.write_text(accounts.read_text(encoding="utf-8").replace("amount = 64.11\n", "amount = 55.09\n"), "utf-8")
    evaluation = demo / "2018" / "evaluation.toml"
    evaluation.write_text(evaluation.read_text(encoding="utf-8") + FILL_IN, encoding="utf-8")
    return demo


def test_submitting_is_refused_with_every_reason(demo: Path) -> None:
    result = run("submit", str(demo), cwd=demo.parent)
    assert result.returncode == 2
    assert "2018 年度还不能提交，共 4 项待处理" in result.stderr
    assert "指标 process.execution.procurement（政府采购执行率） 尚未评分（数据不足）" in result.stderr
    assert "勾稽错误 T6-301" in result.stderr
    assert load_submission(demo, 2018).state == "draft"


def test_a_deduction_without_a_reason_blocks_submission(ready: Path) -> None:
    evaluation = ready / "2018" / "evaluation.toml"
    text = evaluation.read_text(encoding="utf-8")
    evaluation.write_text(text.replace('reason = "未开展满意度调查，按投诉情况评分。"\n', ""), encoding="utf-8")
    result = run("submit", str(ready), cwd=ready.parent)
    assert result.returncode == 2
    assert "共 1 项待处理" in result.stderr
    assert "effect.satisfaction.service（服务对象满意度） 有扣分或调整，未填写理由" in result.stderr


def test_submit_return_resubmit_approve(ready: Path) -> None:
    submitted = run("submit", str(ready), "--comment", "请审核", cwd=ready.parent)
    assert submitted.returncode == 0, submitted.stderr
    assert "已提交" in submitted.stdout
    assert read_only_reason(ready, 2018) == "2018 年度已提交，只读；财政局退回后才能修改"
    assert read_only_reason(ready, 2017) is None

    # a CLI writer is refused while submitted, and the file stays as submitted
    before = (ready / "2018" / "accounts.toml").read_bytes()
    blocked = run("import", str(ready / "2018" / "accounts.toml"), str(ready), "--year", "2018", cwd=ready.parent)
    assert blocked.returncode != 0
    assert (ready / "2018" / "accounts.toml").read_bytes() == before
    workspace = Workspace(ready)
    assert (
        main(["review", str(ready), "--indicator", "input.goals.clarity", "--score", "0.5", "--reason", "目标未量化"])
        == 0
    )
    evaluation = workspace.load_evaluation(2018)
    evaluation.evaluator = "别人"
    from zzperf.review import install

    install()
    from zzperf.errors import ZzperfError

    with pytest.raises(ZzperfError, match="已提交，只读"):
        workspace.save_evaluation(evaluation)

    assert run("return", str(ready), cwd=ready.parent).returncode == 2  # no comment: argparse refuses
    returned = run("return", str(ready), "--comment", "满意度评分依据不足", cwd=ready.parent, user="财政局王五")
    assert returned.returncode == 0, returned.stderr
    submission = load_submission(ready, 2018)
    assert submission.state == "returned" and submission.last_comment == "满意度评分依据不足"
    assert read_only_reason(ready, 2018) is None
    workspace.save_evaluation(evaluation)  # editable again

    assert run("approve", str(ready), cwd=ready.parent).returncode == 2  # only a submitted year is approved
    assert run("submit", str(ready), cwd=ready.parent).returncode == 0
    approved = run("approve", str(ready), "--comment", "同意", cwd=ready.parent, user="财政局王五")
    assert approved.returncode == 0, approved.stderr
    state = run("state", str(ready), cwd=ready.parent)
    assert "通过" in state.stdout and "财政局王五" in state.stdout
    assert [event.action for event in load_submission(ready, 2018).events] == ["submit", "return", "submit", "approve"]
    states = [(e.who, e.old, e.new, e.reason) for e in read_log(ready) if e.what == "state"]
    assert states == [
        ("部门评价组", None, "submitted", "请审核"),
        ("财政局王五", "submitted", "returned", "满意度评分依据不足"),
        ("部门评价组", "returned", "submitted", "提交"),
        ("财政局王五", "submitted", "approved", "同意"),
    ]
    assert run("verify", str(ready), cwd=ready.parent).returncode == 0


def test_an_edit_of_a_submitted_file_outside_zzperf_is_caught(ready: Path) -> None:
    assert run("submit", str(ready), cwd=ready.parent).returncode == 0
    assert run("verify", str(ready), cwd=ready.parent).returncode == 0
    evaluation = ready / "2018" / "evaluation.toml"
    evaluation.write_text(evaluation.read_text(encoding="utf-8").replace("score = 1\n", "score = 3\n", 1), "utf-8")
    result = run("verify", str(ready), cwd=ready.parent)
    assert result.returncode == 1
    assert "2018/evaluation.toml 内容与提交时不符（已提交后在 zzperf 之外被修改）" in result.stdout
    refused = run("approve", str(ready), cwd=ready.parent)
    assert refused.returncode == 2 and "提交后文件被修改：evaluation.toml" in refused.stderr


def test_unlocking_a_year_by_editing_its_state_file_is_caught(ready: Path) -> None:
    assert run("submit", str(ready), cwd=ready.parent).returncode == 0
    state = ready / "2018" / "submission.toml"
    state.write_text(state.read_text(encoding="utf-8").replace('state = "submitted"', 'state = "draft"'), "utf-8")
    result = run("verify", str(ready), cwd=ready.parent)
    assert result.returncode == 1
    assert "2018/submission.toml 内容与记录不符" in result.stdout
