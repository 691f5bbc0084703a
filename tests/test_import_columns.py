"""Column meanings from stacked headers, and economic codes split over 类/款 columns."""

from __future__ import annotations

from zzperf.importing.columns import join_economic_codes, three_block, three_columns, three_item
from zzperf.importing.grid import Line


def test_the_lowest_header_word_names_the_item() -> None:
    assert three_item("财政拨款“三公”经费 公务用车购置及运行费 公务用车购置费 预算数") == "vehicle_purchase"
    assert three_item("财政拨款“三公”经费 公务用车购置及运行费 公务用车运行费 决算数") == "vehicle_operation"
    assert three_item("财政拨款“三公”经费 公务用车购置及运行费 小计 预算数") == "vehicle"
    assert three_item("财政拨款“三公”经费 因公出国（境）费 决算数") == "abroad"
    assert three_item("财政拨款“三公”经费 合计 预算数") == "total"
    assert three_item("会议费") is None


def test_blocks_come_from_each_column_and_pairs_are_read_in_their_order() -> None:
    # the 2024 Shanghai layout: 预算数/决算数 pairs under each item
    items = [
        "合计",
        "因公出国（境）费",
        "公务用车购置及运行费小计",
        "公务用车购置及运行费公务用车购置费",
        "公务用车购置及运行费公务用车运行费",
        "公务接待费",
    ]
    columns = {}
    for number, item in enumerate(items):
        columns[2 * number] = f"财政拨款三公经费{item}预算数"
        columns[2 * number + 1] = f"财政拨款三公经费{item}决算数"
    placed = three_columns(columns)
    assert placed is not None
    assert [placed[index] for index in sorted(placed)][:4] == [
        ("budget", "total"),
        ("actual", "total"),
        ("budget", "abroad"),
        ("actual", "abroad"),
    ]
    assert placed[11] == ("actual", "reception") and placed[6] == ("budget", "vehicle_purchase")
    assert three_block("预算数") == "budget" and three_block("决算数") == "actual" and three_block("合计") is None


def test_a_header_without_blocks_is_left_to_the_order_of_the_blocks() -> None:
    assert three_columns({0: "合计", 1: "因公出国（境）费"}) is None


def test_economic_codes_split_over_two_columns_are_joined() -> None:
    line = Line(("301", "01", "基本工资", "262.33", "302", None, "商品和服务支出", "171.07"), "第 16 页", True)
    assert join_economic_codes(line).cells == (
        "30101",
        None,
        "基本工资",
        "262.33",
        "302",
        None,
        "商品和服务支出",
        "171.07",
    )
    functional = Line(("201", "06", "财政事务", "1.00"), "x", True)
    assert join_economic_codes(functional) is functional


def test_a_name_wrapped_onto_its_own_line_joins_the_row_above(tmp_path) -> None:  # noqa: ANN001
    from zzperf.importing import read_import

    path = tmp_path / "wrapped.txt"
    path.write_text(
        "2024年度部门决算\n支出决算表\n单位：万元\n科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出\n"
        "合计\t\t240.00\t240.00\t\n208\t社会保障和就业支出\t240.00\t240.00\t\n"
        "20805\t行政事业单位养老支出\t240.00\t240.00\t\n2080505\t机关事业单位基本养老保险缴\t160.00\t160.00\t\n"
        "\t费支出\t\t\t\n2080506\t机关事业单位职业年金缴费支出\t80.00\t80.00\t\n",
        encoding="utf-8",
    )
    table = read_import(path).found["expenditure"]
    names = {line["code"]: line["name"] for line in table.data["expenditure"]["lines"]}
    assert names["2080505"] == "机关事业单位基本养老保险缴费支出"
    assert names["2080506"] == "机关事业单位职业年金缴费支出"
    assert table.not_understood == []
