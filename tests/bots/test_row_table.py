"""RowTable on its own: keys, a cursor that follows its row, drawing only what is shown."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from tradeagent.tui.widgets.row_table import Cells, Column, RowTable

COLUMNS = (Column("name", "name"), Column("value", "value", 6, right=True))


class TableApp(App[None]):
    def __init__(self, columns: tuple[Column, ...] = COLUMNS) -> None:
        super().__init__()
        self.columns = columns
        self.asked: list[str] = []
        self.messages: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield RowTable(self.columns, id="table")

    def show(self, keys: list[str]) -> None:
        def cells(key: str) -> Cells:
            self.asked.append(key)
            return ((key, ""), (str(len(key)), "green"))

        self.query_one(RowTable).set_rows(keys, cells, widths={"name": max(map(len, keys))})

    def on_row_table_highlighted(self, event: RowTable.Highlighted) -> None:
        self.messages.append(("highlighted", event.key))

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        self.messages.append(("selected", event.key))


def lines(app: TableApp) -> list[str]:
    table = app.query_one(RowTable)
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_only_rows_on_screen_are_asked_for_and_drawn() -> None:
    app = TableApp()
    async with app.run_test(size=(30, 6)) as pilot:
        app.show([f"row{i:03d}" for i in range(500)])
        await pilot.pause()
        shown = lines(app)
        assert shown[0].split() == ["name", "value"]
        assert shown[1].split() == ["row000", "6"]
        assert len(set(app.asked)) <= 6  # five rows fit under the header, not 500


async def test_cursor_moves_scrolls_and_stays_on_its_row_when_rows_move() -> None:
    app = TableApp()
    async with app.run_test(size=(30, 6)) as pilot:
        keys = [f"k{i}" for i in range(20)]
        app.show(keys)
        table = app.query_one(RowTable)
        table.focus()
        await pilot.press("down", "down")
        assert table.cursor_key == "k2"
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_key == "k19"
        assert lines(app)[-1].split()[0] == "k19"  # scrolled to keep the cursor in view
        await pilot.press("home", "pagedown")
        assert table.cursor_key == "k4"
        app.show(list(reversed(keys)))  # re-sorted: the cursor follows k4
        await pilot.pause()
        assert table.cursor_key == "k4" and table.keys[0] == "k19"
        app.show([k for k in keys if k != "k4"])  # k4 gone: the cursor stays in range
        await pilot.pause()
        assert table.cursor_key in table.keys
        await pilot.press("enter")
        await pilot.pause()
        assert ("selected", table.cursor_key) in app.messages
        assert ("highlighted", "k2") in app.messages


async def test_a_click_moves_the_cursor_and_a_second_click_selects() -> None:
    app = TableApp()
    async with app.run_test(size=(30, 8)) as pilot:
        app.show(["alpha", "beta", "gamma"])
        await pilot.pause()
        await pilot.click(RowTable, offset=(2, 2))
        assert app.query_one(RowTable).cursor_key == "beta"
        await pilot.click(RowTable, offset=(2, 2))
        await pilot.pause()
        assert app.messages[-1] == ("selected", "beta")


async def test_the_first_column_stays_when_scrolling_sideways() -> None:
    wide = (Column("name", "name"), *(Column(f"c{i}", f"c{i}", 8) for i in range(6)))
    app = TableApp(wide)
    async with app.run_test(size=(30, 5)) as pilot:
        table = app.query_one(RowTable)

        def cells(key: str) -> Any:
            return ((key, ""), *((f"v{i}", "") for i in range(6)))

        table.set_rows(["first"], cells, widths={"name": 5})
        await pilot.pause()
        table.scroll_to(x=20, animate=False)
        await pilot.pause()
        row = table.render_line(1).text
        assert row.startswith(" first ")
        assert "v0" not in row and "v3" in row
