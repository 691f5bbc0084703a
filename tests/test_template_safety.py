"""Hostile report templates, as someone sharing a "customised template" might write them.

Each payload goes into an exported template (Markdown, HTML, and Word by editing the document XML)
and runs through the real ``zzperf report --template`` in a subprocess. Every one must end in exit
code 2 with one Chinese message naming the template, without a traceback, within a generous bound,
without creating a file and without touching the report already there. The payloads are the public
Jinja2 sandbox escapes (SSTI write-ups), pydantic and pickle methods, and format-string, size and
time bombs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from dataclasses import fields
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest

from tests.conftest import REPO
from zzperf.accounts import Accounts
from zzperf.cli import main
from zzperf.errors import ZzperfError
from zzperf.report import render_template, write_report
from zzperf.report.context import context_for
from zzperf.report.records import RECORDS, plain, plain_context
from zzperf.workspace import Workspace

OLD_REPORT = "上一次生成的报告，不得被覆盖\n"
SHELL = "id > PWNED.txt"

ESCAPES = {
    "mro-subclasses": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "受保护"),
    "subclasses-open": ("{{ ''.__class__.__base__.__subclasses__()[140]('PWNED.txt', 'w').write('x') }}", "受保护"),
    "cycler-globals": (f"{{{{ cycler.__init__.__globals__.os.popen('{SHELL}').read() }}}}", "受保护"),
    "joiner-globals": (f"{{{{ joiner.__init__.__globals__.os.system('{SHELL}') }}}}", "受保护"),
    "namespace-globals": (f"{{{{ namespace.__init__.__globals__.os.system('{SHELL}') }}}}", "受保护"),
    "lipsum-globals": (f"{{{{ lipsum.__globals__['os'].popen('{SHELL}').read() }}}}", "未知变量“lipsum”"),
    "template-reference": (
        f"{{{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('{SHELL}') }}}}",
        "受保护",
    ),
    "flask-request": (
        f"{{{{ request.application.__globals__.__builtins__.__import__('os').popen('{SHELL}').read() }}}}",
        "受保护|未知变量“request”",
    ),
    "flask-config": (
        f"{{{{ config.__class__.__init__.__globals__['os'].popen('{SHELL}').read() }}}}",
        "受保护|未知变量“config”",
    ),
    "attr-filter": ("{{ (dept|attr('__class__')).__mro__ }}", "受保护"),
    "attr-filter-chain": ("{{ dept|attr('__init__')|attr('__globals__') }}", "受保护"),
    "range-self": ("{{ range.__self__ }}", "受保护"),
    "dict-class": ("{{ dict.__base__.__subclasses__() }}", "受保护"),
    "namespace-instance": ("{{ namespace(a=1).__class__.__init__.__globals__ }}", "受保护"),
    "record-init-globals": ("{{ dept.__init__.__globals__ }}", "受保护"),
    "record-reduce": ("{{ scores.rows[0].__reduce_ex__(2) }}", "受保护"),
    "format-string-attribute": ("{{ '{0.__class__.__mro__}'.format(dept) }}", "受保护"),
    "format-map-attribute": ("{{ '{d.__class__}'.format_map({'d': dept}) }}", "受保护"),
    "printf-attribute": ("{{ '%s' % dept.__class__ }}", "受保护"),
    "filter-reads-dunder": ("{{ comparisons|share_map(none, 'now', '__class__') }}", "不能读取属性"),
    "mutate-data": ("{{ dept.duties.append('x') }}", "未知变量“dept.duties.append”"),
    "include-outside": ("{% include '../secret.json' %}", "不存在|不能使用 include"),
    "include-absolute": ("{% include '/etc/passwd' %}", "不存在|不能使用 include"),
}

PYDANTIC = {
    "parse-raw-pickle": (
        f"{{{{ assets.parse_raw(\"cos\\nsystem\\n(S'{SHELL}'\\ntR.\", proto='pickle', allow_pickle=True) }}}}",
        "未知变量“assets.parse_raw”",
    ),
    "parse-file": ("{{ assets.parse_file('secret.json') }}", "未知变量“assets.parse_file”"),
    "model-validate-json": ("{{ assets.model_validate_json('{}') }}", "未知变量“assets.model_validate_json”"),
    "model-class": ("{{ assets.__class__.parse_file('secret.json') }}", "受保护"),
    "model-copy": ("{{ assets.model_copy() }}", "未知变量“assets.model_copy”"),
    "json": ("{{ assets.json() }}", "未知变量“assets.json”"),
    "dict": ("{{ assets.dict() }}", "未知变量“assets.dict”"),
    "model-dump": ("{{ assets.model_dump() }}", "未知变量“assets.model_dump”"),
    "schema-json": ("{{ assets.schema_json() }}", "未知变量“assets.schema_json”"),
    "fields-set": ("{{ assets.model_fields_set }}", "未知变量“assets.model_fields_set”"),
}

BOMBS = {
    "string-repeat": ("{{ 'a' * 10**9 }}", "过长"),
    "list-repeat": ("{{ [1] * 10**9 }}", "过长"),
    "huge-power": ("{{ 2**100000 }}", "过大的数字"),
    "huge-product": ("{% set n = 10**3000 %}{{ n * n * n * n }}", "过大的数字"),
    "format-filter-precision": ("{{ '%.999999999f'|format(1) }}", "宽度或精度"),
    "printf-precision": ("{{ '%.999999999f' % 1 }}", "宽度或精度"),
    "printf-star-width": ("{{ '%*d' % (999999999, 1) }}", "宽度或精度"),
    "str-format-width": ("{{ '{:>999999999}'.format(1) }}", "宽度或精度"),
    "str-format-nested-width": ("{{ '{0:{1}}'.format(1, 999999999) }}", "宽度或精度"),
    "pct-places": ("{{ 1|pct(999999999) }}", "小数位数"),
    "pct-of-places": ("{{ f.income|pct_of(f.expenditure, 999999999) }}", "小数位数"),
    "decimal-overflow": ("{{ f.income.now.scaleb(999999)|money }}", "超出可计算的范围"),
    "not-a-number": ("{{ 'abc'|wan }}", "不是数字"),
    "center-filter": ("{{ 'x'|center(10**9) }}", "过大"),
    "indent-filter": ("{{ 'x'|indent(10**9) }}", "过大"),
    "batch-fill": ("{{ [1]|batch(10**9, 'x')|list }}", "过大"),
    "tojson-indent": ("{{ {'a': [1, 2]}|tojson(indent=10**5) }}", "缩进过大"),
    "ljust": ("{{ 'x'.ljust(10**9) }}", "过长"),
    "zfill": ("{{ 'x'.zfill(10**9) }}", "过长"),
    "join-separator": ("{{ range(99999)|join('x' * 1000000) }}", "过长"),
    "str-join": ("{{ ('x' * 1000000).join(range(99999)|map('string')) }}", "过长"),
    "replace-growth": ("{{ ('x' * 1000000).replace('x', 'yy' * 1000) }}", "过长"),
    "translate-growth": ("{{ ('x' * 1000000).translate({120: 'yy'}) }}", "过长"),
    "to-bytes": ("{{ (1).to_bytes(10**9, 'big') }}", "过长"),
    "namespace-doubling": (
        "{% set ns = namespace(s='x' * 100000) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
        "{{ ns.s|length }}",
        "过长",
    ),
    "macro-doubling": ("{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('x' * 100000) }}", "内存|过长|递归"),
    "endless-recursion": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "递归过深"),
    "lipsum": ("{{ lipsum(10**6) }}", "未知变量“lipsum”"),
    "nested-loops": (
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "模板运行超过 5 秒，已停止",
    ),
    "huge-output": (
        "{% for i in range(99999) %}{% for j in range(99999) %}{{ j }}{% endfor %}{% endfor %}",
        "模板输出超过 5 MB",
    ),
}

PAYLOADS = {**{f"escape:{k}": v for k, v in ESCAPES.items()}, **{f"pydantic:{k}": v for k, v in PYDANTIC.items()}}
PAYLOADS.update({f"bomb:{k}": v for k, v in BOMBS.items()})
TEMPLATE_NAMES = {"md": "report.md.j2", "html": "report.html.j2", "docx": "report.docx"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exported") / "templates"
    assert main(["report", "--export-templates", str(folder)]) == 0
    return folder


def _with_payload(exported: Path, folder: Path, fmt: str, payload: str) -> Path:
    """A copy of the exported templates with ``payload`` as the first line (Word: the first paragraph)."""
    shutil.copytree(exported, folder)
    name = TEMPLATE_NAMES[fmt]
    if fmt == "docx":
        with (
            zipfile.ZipFile(exported / name) as source,
            zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as out,
        ):
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "word/document.xml":
                    paragraph = f'<w:p><w:r><w:t xml:space="preserve">{escape(payload)}</w:t></w:r></w:p>'
                    data = re.sub(rb"<w:body>", b"<w:body>" + paragraph.encode("utf-8"), data, count=1)
                out.writestr(item, data)
    else:
        text = (exported / name).read_text(encoding="utf-8")
        (folder / name).write_text(payload + "\n" + text, encoding="utf-8")
    return folder


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "zzperf", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def _files(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


SLOW = {"bomb:nested-loops", "bomb:huge-output", "bomb:macro-doubling"}
"""Payloads that only the child process's deadline and memory limit can stop."""
THROUGH_THE_CLI = {
    "escape:cycler-globals",
    "escape:format-string-attribute",
    "pydantic:parse-raw-pickle",
    "pydantic:parse-file",
    "bomb:string-repeat",
    "bomb:format-filter-precision",
    "bomb:pct-places",
}
"""A sample of every kind, run end to end in every format; ``SLOW`` ones run end to end in Markdown."""
END_TO_END = [(name, fmt) for name in sorted(THROUGH_THE_CLI) for fmt in ("md", "html", "docx")]
END_TO_END += [(name, "md") for name in sorted(SLOW)]


def _assert_one_clear_error(message: str, fmt: str, expected: str) -> None:
    assert message.startswith("错误：") and message.count("错误：") == 1
    assert len(message.strip().splitlines()) <= 2  # the message and a hint
    assert re.search(expected, message), message
    assert TEMPLATE_NAMES[fmt] in message
    assert ("段附近" if fmt == "docx" else "第 1 行") in message  # where in the template
    for leak in ("Traceback", "decimal.", "InvalidOperation", "hunter2", "pydantic", "uid="):
        assert leak not in message


def _prepare(exported: Path, tmp_path: Path, fmt: str, payload: str) -> tuple[Path, Path, set[str]]:
    """The shared template folder with the payload, a secret beside it and an earlier report that must survive."""
    folder = _with_payload(exported, tmp_path / "shared-template", fmt, payload)
    (tmp_path / "secret.json").write_text('{"password": "hunter2"}', encoding="utf-8")
    out = tmp_path / f"report.{fmt}"
    out.write_text(OLD_REPORT, encoding="utf-8")
    return folder, out, _files(tmp_path)


@pytest.mark.parametrize("name,fmt", END_TO_END, ids=[f"{name}-{fmt}" for name, fmt in END_TO_END])
def test_a_hostile_template_ends_in_one_clear_error_through_the_cli(
    exported: Path, demo: Path, tmp_path: Path, name: str, fmt: str
) -> None:
    payload, expected = PAYLOADS[name]
    folder, out, before = _prepare(exported, tmp_path, fmt, payload)
    result = _run("report", str(demo), "--format", fmt, "--template", str(folder), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    _assert_one_clear_error(result.stderr, fmt, expected)
    assert _files(tmp_path) == before  # no PWNED.txt, no temporary file, nothing else
    assert out.read_text(encoding="utf-8") == OLD_REPORT


FAST = [(name, fmt) for name in PAYLOADS if name not in SLOW for fmt in ("md", "html", "docx")]


@pytest.mark.parametrize("name,fmt", FAST, ids=[f"{name}-{fmt}" for name, fmt in FAST])
def test_every_hostile_template_ends_in_one_clear_error(
    exported: Path, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, fmt: str
) -> None:
    """Every payload in every format, through the same sandbox as the child runs, here in the test's process."""
    payload, expected = PAYLOADS[name]
    folder, out, before = _prepare(exported, tmp_path, fmt, payload)
    monkeypatch.chdir(tmp_path)  # where a shell payload would write PWNED.txt
    context = plain_context(context_for(Workspace(demo), 2018))
    with pytest.raises(ZzperfError) as caught:
        render_template(context, fmt, folder)
    _assert_one_clear_error(f"错误：{caught.value}", fmt, expected)
    assert _files(tmp_path) == before
    assert out.read_text(encoding="utf-8") == OLD_REPORT


# ── what a template may still do ────────────────────────────────────────

CUSTOM_MD = """# {{ dept.name }}{{ year }}年度自评（本单位格式）

{% set ns = namespace(total=0) %}
{% for row in scores.rows if row.kind == 'leaf' %}{% set ns.total = ns.total + 1 %}{% endfor %}
- 收入：{{ f.income|wan }}，{{ f.income|yoy }}
- 车辆：{{ assets.vehicles|num('辆') }}；固定资产：{{ assets.fixed_assets_total|wan }}
- 末级指标 {{ ns.total }} 项；{{ '%s 分'|format(scores.total|score) }}；{{ '{:>6}'.format(scores.grade) }}
- 职能：{{ dept.duties|join_cn }}；{{ dept.duties|length }} 项
{% for source, share in income.sources|with_shares(income.total) %}
- {{ source.name }}：{{ source|money }}（{{ share }}）
{% endfor %}
"""


def test_a_customised_template_with_variables_filters_and_formats_still_renders(demo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "report.md.j2").write_text(CUSTOM_MD, encoding="utf-8")
    out = tmp_path / "r.md"
    result = _run("report", str(demo), "--format", "md", "--template", str(folder), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    context = context_for(Workspace(demo), 2018)
    assets = context["assets"]
    assert text.startswith(f"# {context['dept'].name}2018年度自评（本单位格式）")
    assert f"- 车辆：{assets.vehicles} 辆；" in text
    assert f"末级指标 {context['scores'].leaf_count} 项" in text
    assert "- 收入：" in text and "万元，比上年（" in text
    assert "一般公共预算财政拨款收入：" in text and "%）" in text


def test_a_customised_word_template_renders_and_reads_back(exported: Path, demo: Path, tmp_path: Path) -> None:
    line = (
        "本单位：{{ dept.name }}，车辆 {{ assets.vehicles|num('辆') }}，"
        "收入 {{ f.income|wan }}，{{ '%.1f'|format(1.25) }}"
    )
    folder = _with_payload(exported, tmp_path / "ours", "docx", line)
    out = tmp_path / "r.docx"
    result = _run("report", str(demo), "--template", str(folder), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    context = context_for(Workspace(demo), 2018)
    first = docx.Document(str(out)).paragraphs[0].text
    income = context["f"].income.now
    assert first == f"本单位：{context['dept'].name}，车辆 {context['assets'].vehicles} 辆，收入 {income:.2f} 万元，1.2"


def test_a_user_template_renders_from_a_worker_thread_as_the_tui_runs_it(
    exported: Path, demo: Path, tmp_path: Path
) -> None:
    hostile = _with_payload(exported, tmp_path / "hostile", "md", "{{ 'a' * 10**9 }}")
    results: dict[str, object] = {}

    def work() -> None:
        workspace = Workspace(demo)
        results["path"] = write_report(workspace, 2018, "md", tmp_path / "ok.md", exported)
        try:
            write_report(workspace, 2018, "md", tmp_path / "bad.md", hostile)
        except ZzperfError as error:
            results["error"] = str(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert results["path"] == tmp_path / "ok.md"
    assert (tmp_path / "ok.md").read_text(encoding="utf-8").startswith("# 株洲市政务服务中心2018年度")
    assert "模板试图生成过长的文本" in str(results["error"]) and "report.md.j2" in str(results["error"])
    assert not (tmp_path / "bad.md").exists()


def test_a_link_in_the_template_folder_cannot_pull_in_a_file_from_elsewhere(
    exported: Path, demo: Path, tmp_path: Path
) -> None:
    folder = _with_payload(exported, tmp_path / "shared", "md", "{% include 'notes.txt' %}")
    (tmp_path / "secret.json").write_text('{"password": "hunter2"}', encoding="utf-8")
    (folder / "notes.txt").symlink_to(tmp_path / "secret.json")
    out = tmp_path / "r.md"
    result = _run("report", str(demo), "--format", "md", "--template", str(folder), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2 and "指向目录之外" in result.stderr and "第 1 行" in result.stderr
    assert "hunter2" not in result.stderr and not out.exists()


def test_an_oversized_or_zip_bomb_template_is_refused_before_it_is_read(
    exported: Path, demo: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "big"
    shutil.copytree(exported, folder)
    (folder / "report.md.j2").write_text("x" * (3 * 1024 * 1024), encoding="utf-8")
    result = _run("report", str(demo), "--format", "md", "--template", str(folder), cwd=tmp_path)
    assert result.returncode == 2 and "模板文件过大" in result.stderr and "Traceback" not in result.stderr
    with zipfile.ZipFile(folder / "report.docx", "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * (120 * 1024 * 1024))
    result = _run("report", str(demo), "--template", str(folder), cwd=tmp_path)
    assert result.returncode == 2 and "解压后过大" in result.stderr and "Traceback" not in result.stderr


# ── the data templates see ──────────────────────────────────────────────


def test_templates_see_plain_records_without_any_public_method(demo: Path) -> None:
    context = context_for(Workspace(demo), 2018)
    assert plain_context(context) == context

    def walk(value: object) -> None:
        if isinstance(value, tuple):
            for item in value:
                walk(item)
        elif type(value) in RECORDS:
            for field in fields(value):  # type: ignore[arg-type]
                walk(getattr(value, field.name))
        else:
            assert value is None or isinstance(value, (str, int, float)) or type(value).__name__ in ("Decimal", "date")

    for value in context.values():
        walk(value)
    for record in RECORDS:
        public = [name for name in dir(record) if not name.startswith("_") and callable(getattr(record, name))]
        assert public == [], record
        assert record.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_a_model_or_a_mutable_object_is_refused_as_template_data() -> None:
    with pytest.raises(TypeError, match="assets"):
        plain(Accounts.model_fields["assets"].annotation(), "assets")  # type: ignore[misc]
    with pytest.raises(TypeError, match="x"):
        plain({"a": 1}, "x")
    assert plain([1, ["a"]]) == (1, ("a",))
