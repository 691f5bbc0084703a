"""A workspace: one department's folder with ``zzperf.toml`` and one sub-folder per year.

::

    株洲市政务服务中心/
      zzperf.toml            department profile and the indicator set used
      .zzperf.lock           who has it open in the evaluation screen (while it is open)
      2017/accounts.toml     the year's figures
      2018/accounts.toml
      2018/evaluation.toml   the evaluator's scores, reasons and report text

Beside the ``Workspace`` itself: its lock (``lock``), noticing its files changed on disk (``watch``), starting a
new year (``new_year``) and finding workspaces among folders (``discover``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from zzperf.accounts import Accounts
from zzperf.errors import ZzperfError, did_you_mean
from zzperf.evaluation import Evaluation
from zzperf.field_docs import new_dict, new_list
from zzperf.tomlio import (
    ABSENT,
    Stamp,
    dump_preserving,
    load_model,
    refuse_odd_file,
    remove_stale_temporaries,
    write_atomic,
)
from zzperf.workspace.discover import find_workspaces, latest_year, score_for_ranking
from zzperf.workspace.files import ACCOUNTS_FILE, EVALUATION_FILE, PROFILE_FILE
from zzperf.workspace.new_year import (
    evaluation_has_data,
    has_data,
    holds_figures,
    next_year_accounts,
    remove_empty_year,
    start_new_year,
)
from zzperf.workspace.origins import ORIGINS_FILE, read_origins, write_origins

if TYPE_CHECKING:  # imported where used: reading a year's figures (``zzperf check``) needs no indicator set
    from zzperf.indicators import IndicatorSet
    from zzperf.scoring import ScoreCard

__all__ = [
    "ACCOUNTS_FILE",
    "EVALUATION_FILE",
    "ORIGINS_FILE",
    "PROFILE_FILE",
    "Profile",
    "Workspace",
    "Year",
    "find_workspace",
    "find_workspaces",
    "has_data",
    "latest_year",
    "load_set_cached",
    "next_year_accounts",
    "read_origins",
    "record_sets",
    "remove_empty_year",
    "score_for_ranking",
    "start_new_year",
    "write_origins",
]

Model = TypeVar("Model")


def _signature(path: Path) -> tuple[int, ...] | None:
    """What changes when a file is replaced or written: inode, size, modification time; None when not there."""
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


class Profile(BaseModel):
    """The department profile (``zzperf.toml``)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    format_version: Literal[1] = 1
    """File format version."""
    name: str = Field(min_length=1)
    """部门（单位）名称"""
    budget_code: str = ""
    """预算编码"""
    level: str = ""
    """单位性质，如 市政府直属正处级公益一类事业单位"""
    duties: list[str] = Field(default_factory=new_list)
    """职能职责"""
    structure: list[str] = Field(default_factory=new_list)
    """内设机构"""
    units: str = ""
    """决算单位构成"""
    contact: str = ""
    """联系人"""
    phone: str = ""
    """联系电话"""
    notice: str = ""
    """自评依据的通知：名称和文号，如 《关于开展2018年度部门整体支出绩效自评工作的通知》（株财绩〔2019〕1号）；
    各年度的通知写在该年度的 evaluation.toml（评分界面的报告页），此处只在那里未填时使用"""
    indicator_set: str = "national-2013"
    """指标体系：内置名称或相对本文件夹的 TOML 路径"""
    year_sets: dict[Annotated[str, Field(pattern=r"^\d{4}$")], str] = Field(default_factory=new_dict)
    """个别年度评分所用的其他指标体系：年度 → 内置名称或 TOML 路径；未列出的年度用 indicator_set"""


COVER_DETAILS = {"budget_code": "预算编码", "contact": "联系人", "phone": "联系电话"}
"""The profile's details the report's cover shows that the report screen edits (the rest is edited in the file)."""


@dataclass(frozen=True)
class Year:
    """One year's files, loaded."""

    year: int
    accounts: Accounts
    evaluation: Evaluation


class Workspace:
    """A department's folder; reads and writes its files atomically.

    A save writes only over the content this object last read or wrote (``seen``): a file someone else changed
    meanwhile is refused with ConflictError, and so is any write while another process has the workspace open in
    the evaluation screen.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seen: dict[Path, str] = {}
        """Content hash of each file as this object last read or wrote it (``ABSENT``: read as not there)."""
        self.stamps: dict[Path, Stamp] = {}
        """Time, size and hash of each file as this object last read it, until it writes the file: what a watch over
        the files takes as their state, rather than reading them again (a change made since the read then shows)."""
        self._kept: dict[Path, tuple[tuple[int, ...] | None, Any]] = {}
        """Models ``has_data`` read, by file: (the file's stat signature before the read, the model)."""
        profile_path = root / PROFILE_FILE
        if not os.path.lexists(profile_path):
            raise ZzperfError(
                f"不是 zzperf 工作区：缺少 {PROFILE_FILE}",
                file=root,
                hint="用 zzperf init 目录 新建工作区，或 zzperf demo 生成演示工作区",
            )
        self.profile = load_model(profile_path, Profile, seen=self.seen, stamps=self.stamps)

    @cached_property
    def indicator_set(self) -> IndicatorSet:
        from zzperf.indicators import resolve_set

        try:
            path = resolve_set(self.profile.indicator_set, base=self.root, inside=self.root)
        except ZzperfError as error:
            raise error.located(self.root / PROFILE_FILE, "indicator_set") from None
        return load_set_cached(path)

    def set_for(self, year: int) -> IndicatorSet:
        """The set a year is scored with: its entry in ``year_sets``, else the workspace's ``indicator_set``."""
        name = self.profile.year_sets.get(str(year))
        if name is None:
            return self.indicator_set
        from zzperf.indicators import resolve_set

        try:
            return load_set_cached(resolve_set(name, base=self.root, inside=self.root))
        except ZzperfError as error:
            raise error.located(self.root / PROFILE_FILE, f"year_sets.{year}") from None

    def years(self) -> list[int]:
        """Years that have an ``accounts.toml``, in order."""
        return sorted(
            int(path.name)
            for path in self.root.iterdir()
            if path.name.isdigit() and os.path.lexists(path / ACCOUNTS_FILE)  # a broken one is an error, not "no year"
        )

    def years_text(self) -> str:
        """The years that have figures, for a message: ``2017、2018`` (``无`` when there are none)."""
        return "、".join(map(str, self.years())) or "无"

    def year_dir(self, year: int) -> Path:
        return self.root / str(year)

    def pick_year(self, year: int | None) -> int:
        """The given year if the workspace has it, else the latest year that holds data; a clear error otherwise.

        A year just created (targets carried over, nothing entered) is passed over for the latest one with data;
        when no year has any, the latest year.
        """
        years = self.years()
        if not years:
            raise ZzperfError(
                "工作区还没有任何年度数据", file=self.root, hint="用 zzperf init 目录 --year 年度 建立年度"
            )
        if year is None:
            return next((candidate for candidate in reversed(years) if self.has_data(candidate)), years[-1])
        if year not in years:
            raise ZzperfError(
                f"工作区没有 {year} 年度的数据",
                file=self.root,
                hint=f"已有年度：{self.years_text()}",
            )
        return year

    def has_data(self, year: int) -> bool:
        """Whether the year holds anything entered for it (see ``new_year.has_data``); a broken file counts as data.

        Figures alone decide it when there are any, without reading the scores (and so the indicator set).
        What was read is handed to the next ``load_accounts`` or ``load_evaluation`` of the year, if the file is
        unchanged, so that picking the year and then opening it reads each file once.
        """
        try:
            accounts = self._keep(year, ACCOUNTS_FILE, self.load_accounts)
            if holds_figures(accounts):
                return True
            evaluation = self._keep(year, EVALUATION_FILE, self.load_evaluation)
        except ZzperfError:
            return True  # opening it shows the error, rather than passing over it in silence
        return evaluation_has_data(evaluation)  # the figures hold none (above)

    def _keep(self, year: int, name: str, load: Callable[[int], Model]) -> Model:
        """``load(year)``, kept for the next load of the same file while the file's stat stays the same."""
        path = self.year_dir(year) / name
        before = _signature(path)
        model = load(year)
        self._kept[path] = (before, model)
        return model

    def _kept_model(self, path: Path) -> Any:
        """The model ``_keep`` read from ``path`` (once), or None when there is none or the file changed since."""
        kept = self._kept.pop(path, None)
        if kept is None or kept[0] is None or kept[0] != _signature(path):
            return None
        return kept[1]

    def load_accounts(self, year: int) -> Accounts:
        kept = self._kept_model(self.year_dir(year) / ACCOUNTS_FILE)
        if kept is not None:
            return kept
        accounts = load_model(self.year_dir(year) / ACCOUNTS_FILE, Accounts, seen=self.seen, stamps=self.stamps)
        if accounts.year != year:
            raise ZzperfError(
                f"文件中的 year = {accounts.year} 与所在文件夹 {year} 不一致",
                file=self.year_dir(year) / ACCOUNTS_FILE,
                where="year",
            )
        return accounts

    def load_evaluation(self, year: int) -> Evaluation:
        path = self.year_dir(year) / EVALUATION_FILE
        if not os.path.lexists(path):  # only a file that is not there at all means "nothing scored yet"
            self.seen[path] = ABSENT
            return Evaluation(year=year)
        kept = self._kept_model(path)
        if kept is not None:
            return kept
        evaluation = load_model(path, Evaluation, seen=self.seen, stamps=self.stamps)
        if evaluation.year != year:
            raise ZzperfError(f"文件中的 year = {evaluation.year} 与所在文件夹 {year} 不一致", file=path, where="year")
        known = self.set_for(year).by_id
        unknown = [key for key in evaluation.indicators if key not in known]
        if unknown:
            raise ZzperfError(
                f"评分记录引用了指标体系中没有的指标 “{unknown[0]}”",
                file=path,
                where=f"indicators.{unknown[0]}",
                hint=did_you_mean(unknown[0], known),
            )
        groups = [key for key in evaluation.indicators if not known[key].is_leaf]
        if groups:
            from zzperf.indicators import group_entry_error

            raise group_entry_error(self.set_for(year), groups[0], path)
        return evaluation

    def load_year(self, year: int) -> Year:
        return Year(year, self.load_accounts(year), self.load_evaluation(year))

    def previous_accounts(self, year: int) -> Accounts | None:
        """The previous year's figures, when the workspace has that year."""
        return self.load_accounts(year - 1) if (year - 1) in self.years() else None

    def score(self, year: int) -> ScoreCard:
        from zzperf.scoring import score_year

        loaded = self.load_year(year)
        return score_year(self.set_for(year), loaded.accounts, loaded.evaluation, self.previous_accounts(year))

    def save_accounts(self, accounts: Accounts) -> None:
        header = "zzperf 年度数据。可以手工编辑；金额单位为万元，缺项表示“数据不足”，0 表示零。"
        self._save(self.year_dir(accounts.year) / ACCOUNTS_FILE, accounts, header)

    def save_evaluation(self, evaluation: Evaluation) -> None:
        header = "zzperf 评分记录：评价人的评分、理由、佐证材料和报告文字。可以手工编辑。"
        self._save(self.year_dir(evaluation.year) / EVALUATION_FILE, evaluation, header)

    def save_profile(self) -> None:
        self._save(self.root / PROFILE_FILE, self.profile, "zzperf 部门信息。可以手工编辑。")

    def accept_disk(self, path: Path, digest: str) -> None:
        """Take ``digest`` as the version of ``path`` the next save may replace (to write over an outside edit)."""
        self.seen[path] = digest
        self.stamps.pop(path, None)

    def remove_stale_temporaries(self) -> list[Path]:
        """Delete temporary files killed saves left in the workspace and its year folders."""
        names = (PROFILE_FILE, ACCOUNTS_FILE, EVALUATION_FILE)
        folders = [self.root, *(self.year_dir(year) for year in self.years())]
        return [path for folder in folders for path in remove_stale_temporaries(folder, names)]

    def _save(self, path: Path, model: BaseModel, header: str) -> None:
        """Write atomically over the version last read (ConflictError otherwise), keeping a person's comments."""
        from zzperf.workspace.lock import refuse_if_held  # deferred for the CLI's start-up time: only a save needs it

        refuse_if_held(self.root)
        refuse_odd_file(path)  # before reading it for its comments: a FIFO would block
        try:
            existing = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            existing = None
        text = dump_preserving(model, existing) if existing else f"# {header}\n\n" + dump_preserving(model, None)
        write_atomic(path, text, expect=self.seen.get(path, ABSENT))
        self.seen[path] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.stamps.pop(path, None)


_SETS: dict[tuple[Path, str], IndicatorSet] = {}
"""Parsed set files by (resolved path, SHA-256 of the bytes parsed)."""

_USED_SETS: ContextVar[dict[str, str] | None] = ContextVar("used_sets", default=None)
"""While ``record_sets`` runs: each set file loaded, as named (before resolving), → SHA-256 of the bytes used."""


def load_set_cached(path: Path) -> IndicatorSet:
    """A set file parsed once per content: many workspaces share one set, and an edited file is parsed anew."""
    from zzperf.indicators import load_set

    resolved = path.resolve()
    digest = None
    try:
        if resolved.is_file():  # not a FIFO, which would block: ``load_set`` says what is wrong with it
            digest = hashlib.sha256(resolved.read_bytes()).hexdigest()
    except OSError:
        pass
    indicator_set = _SETS.get((resolved, digest)) if digest is not None else None
    if indicator_set is None:
        seen: dict[Path, str] = {}
        indicator_set = load_set(path, seen=seen)
        digest = seen[path]  # the bytes actually parsed, whatever was read above
        _SETS[(resolved, digest)] = indicator_set
    used = _USED_SETS.get()
    if used is not None:
        used[os.fspath(path)] = digest
    return indicator_set


@contextmanager
def record_sets() -> Iterator[dict[str, str]]:
    """The set files ``load_set_cached`` loads within the block (in this thread), with the hash of what was used."""
    used: dict[str, str] = {}
    token = _USED_SETS.set(used)
    try:
        yield used
    finally:
        _USED_SETS.reset(token)


def find_workspace(start: Path) -> Path | None:
    """The workspace folder at or above ``start``, if any."""
    for folder in (start, *start.parents):
        if (folder / PROFILE_FILE).is_file():
            return folder
    return None
