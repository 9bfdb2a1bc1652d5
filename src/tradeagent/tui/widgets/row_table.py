"""A keyed table drawn line by line, made for rows that change every couple of seconds.

Textual's DataTable re-renders every visible cell through Rich whenever any cell changes (its
caches are keyed on a global update counter): about 60 ms of CPU for a screenful, far over the
bots pane's budget. Here a refresh hands over the row order and a way to get a row's cells;
cells are asked for, and turned into a Strip, only for the rows drawn, and kept until the next
refresh. A fleet of any size costs the rows on screen.

Rows are identified by key: the cursor stays on the row it was on across refreshes, sorts and
filters. The first column stays in place when scrolling sideways.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Column:
    """``width`` None grows to the widest cell; ``right`` aligns numbers."""

    key: str
    label: str
    width: int | None = None
    right: bool = False


Cell = tuple[str, str]
"""Text and a Rich style ("" for the row's own)."""
Cells = tuple[Cell, ...]
CellSource = Callable[[str], Cells]
"""The cells of the row with this key."""


@lru_cache(maxsize=256)
def _style(text: str) -> Style:
    return Style.parse(text) if text else Style.null()


def _fit(text: str, width: int, right: bool) -> str:
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


class RowTable(ScrollView, can_focus=True):
    """Rows by key, a cursor that follows its row, Enter/click to select."""

    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .row-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .row-table--even { background: $surface-lighten-1 50%; }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .row-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--even",
        "row-table--cursor",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "ends(-1)", "First", show=False),
        Binding("end", "ends(1)", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to the row ``key``."""

        def __init__(self, table: RowTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> RowTable:
            return self.table

    class Selected(Message):
        """Enter (or a click on the cursor's row) on the row ``key``."""

        def __init__(self, table: RowTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> RowTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self._keys: list[str] = []
        self._source: CellSource = lambda key: ()
        self._cells: dict[str, Cells] = {}
        self._strips: dict[tuple[str, bool], Strip] = {}
        self._widths = [c.width or cell_len(c.label) for c in self.columns]
        self._header: Strip | None = None
        self._styles: dict[str, Style] = {}
        self._cursor = 0

    # -- data ------------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        """Row keys, top to bottom."""
        return list(self._keys)

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def cursor_key(self) -> str | None:
        return self._keys[self._cursor] if self._keys else None

    def cell(self, key: str, column: str) -> str:
        """The text of one cell (what the screen shows, untruncated)."""
        index = next(i for i, c in enumerate(self.columns) if c.key == column)
        return self._row(key)[index][0]

    def set_rows(
        self, keys: Sequence[str], cells: CellSource, *, widths: Mapping[str, int] | None = None
    ) -> None:
        """Show the rows ``keys`` in this order. ``cells(key)`` is asked only for rows that
        are drawn; ``widths`` sizes the columns without a fixed width (default: their label)."""
        selected = self.cursor_key
        self._keys = list(keys)
        self._source = cells
        self._cells.clear()
        self._strips.clear()
        hints = widths or {}
        new_widths = [
            column.width or max(cell_len(column.label), hints.get(column.key, 0))
            for column in self.columns
        ]
        if new_widths != self._widths:
            self._widths = new_widths
            self._header = None
        if selected in self._keys:
            self._cursor = self._keys.index(selected)
        self._cursor = max(0, min(self._cursor, len(self._keys) - 1))
        size = Size(sum(w + 2 for w in self._widths), len(self._keys) + 1)
        if size != self.virtual_size:
            self.virtual_size = size
        self.refresh()
        if self.cursor_key is not None and self.cursor_key != selected:
            self.post_message(self.Highlighted(self, self.cursor_key))

    def _row(self, key: str) -> Cells:
        cells = self._cells.get(key)
        if cells is None:
            cells = self._cells[key] = self._source(key)
        return cells

    def move_cursor_to(self, key: str) -> None:
        if key in self._keys:
            self._move(self._keys.index(key))

    # -- drawing ---------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._restyle()

    def on_focus(self) -> None:
        self._restyle()

    def on_blur(self) -> None:
        self._restyle()

    def _restyle(self) -> None:
        self._strips.clear()
        self._header = None
        self._styles.clear()
        self.refresh()

    def _style_of(self, part: str) -> Style:
        """The widget's style under a component class ("" for the plain rows), computed once
        per theme or focus change: asking Textual on every line costs more than drawing it."""
        style = self._styles.get(part)
        if style is None:
            style = self.rich_style
            if part:
                style += self.get_component_rich_style(part)
            self._styles[part] = style
        return style

    def _row_strip(self, cells: Sequence[Cell], base: Style) -> Strip:
        segments = [
            Segment(f" {_fit(text, width, column.right)} ", base + _style(style))
            for (text, style), width, column in zip(cells, self._widths, self.columns, strict=True)
        ]
        return Strip(segments, sum(w + 2 for w in self._widths))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            if self._header is None:
                labels = tuple((c.label, "") for c in self.columns)
                self._header = self._row_strip(labels, self._style_of("row-table--header"))
            return self._visible(self._header, scroll_x, width)
        index = scroll_y + y - 1
        if index >= len(self._keys):
            return Strip.blank(width, self._style_of(""))
        key = self._keys[index]
        if index == self._cursor:
            cursor = self._style_of("row-table--cursor")
            return self._visible(self._row_strip(self._row(key), cursor), scroll_x, width)
        even = index % 2 == 1
        strip = self._strips.get((key, even))
        if strip is None:
            base = self._style_of("row-table--even" if even else "")
            strip = self._strips[(key, even)] = self._row_strip(self._row(key), base)
        return self._visible(strip, scroll_x, width)

    def _visible(self, strip: Strip, scroll_x: int, width: int) -> Strip:
        """The part on screen: the first column always, the rest scrolled sideways."""
        fixed = self._widths[0] + 2 if self.columns else 0
        if scroll_x and fixed < width:
            rest = strip.crop(fixed + scroll_x, fixed + scroll_x + width - fixed)
            strip = Strip.join([strip.crop(0, fixed), rest])
        if strip.cell_length != width:
            strip = strip.extend_cell_length(width, self._style_of("")).crop(0, width)
        return strip

    # -- moving ----------------------------------------------------------------------------

    def _move(self, index: int) -> None:
        if not self._keys:
            return
        index = max(0, min(index, len(self._keys) - 1))
        changed = index != self._cursor
        self._cursor = index
        visible = max(1, self.size.height - 1)
        top = int(self.scroll_offset.y)
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + visible:
            self.scroll_to(y=index - visible + 1, animate=False)
        self.refresh()
        if changed:
            self.post_message(self.Highlighted(self, self._keys[index]))

    def action_cursor(self, step: int) -> None:
        self._move(self._cursor + step)

    def action_page(self, direction: int) -> None:
        self._move(self._cursor + direction * max(1, self.size.height - 2))

    def action_ends(self, direction: int) -> None:
        self._move(0 if direction < 0 else len(self._keys) - 1)

    def action_select(self) -> None:
        if self.cursor_key is not None:
            self.post_message(self.Selected(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y - 1
        if event.y < 1 or not 0 <= index < len(self._keys):
            return
        if index == self._cursor:
            self.action_select()
        else:
            self._move(index)
