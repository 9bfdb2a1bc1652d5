"""A streamed reply rendered as Markdown by one widget, whatever its length.

Why not Textual's ``Markdown`` + ``get_stream``: it mounts a widget per paragraph, list item and
heading, and every layout pass walks them all. A 5,000-token reply makes hundreds of them; on a
2-core box each frame then took 30–80 ms (400+ ms at worst), far over the 20 ms budget (see
``bench/chat_stream.py``). Here the text is cut into chunks at blank lines that start a new
top-level block (never inside a code fence); each settled chunk is rendered once (per width)
with Rich's Markdown to learn its height, only the growing tail is rendered again, and lines are
drawn with the line API, so a frame costs the same on the first token and the five-thousandth.
Rendered lines are kept for the most recent chunks only (re-rendered on demand when scrolled
back to): thousands of long-lived line objects would make Python's full GC passes stall the UI.

Tokens can arrive faster than frames are worth drawing: text is taken at once (``source`` is
always complete) but shown at most every ``REFRESH_EVERY_S``, and at once when the stream was
quiet (the first token never waits).
"""

from __future__ import annotations

import io
from bisect import bisect_right
from collections import OrderedDict
from time import monotonic

from rich.console import Console
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

_FENCES = ("```", "~~~")
REFRESH_EVERY_S = 0.05
CACHED_LINES = 120
"""Rendered lines kept (about two screens); older chunks are rendered again if shown."""
FULL_REPAINT_EVERY_S = 1.0


_SAMPLE = "# Plan\n\nSome **bold** `code` text.\n\n- a\n\n1. b\n\n```python\nx = 1\n```\n"


def warm_up() -> None:
    """Render a sample once, so the first reply does not pay for loading the Markdown parser
    and the code highlighter (tens of ms). Thread-safe: run it off the event loop."""
    from rich.markdown import Markdown as RichMarkdown

    console = Console(width=60, file=io.StringIO(), color_system="truecolor")
    console.print(RichMarkdown(_SAMPLE))


class ReplyMarkdown(Widget):
    DEFAULT_CSS = """
    ReplyMarkdown { height: auto; }
    """

    def __init__(self, markdown: str = "", *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self._parts: list[str] = []
        self._chunks: list[str] = []
        """Settled chunks: they will not change any more."""
        self._groups: list[str] = []
        """What is rendered as one: the chunks that settled in the same flush, joined (one
        Markdown parse and render instead of one per chunk: a fast stream settles ten a flush)."""
        self._tail = ""
        self._scan = 0
        """Where in the tail the next unexamined line starts."""
        self._blank_at: int | None = None
        """Tail index of a blank line (outside fences) that may end the current block."""
        self._in_fence = False
        self._width = 0
        self._heights: list[int] = []
        """Lines of each group at ``_width`` (its blank separator line included)."""
        self._lines: OrderedDict[int, list[Strip]] = OrderedDict()
        self._cached_lines = 0
        self._tail_lines: list[Strip] | None = None
        self._starts: list[int] = []
        """First line of each rendered chunk (and the tail last)."""
        self._total = 0
        self._pending: list[str] = []
        self._shown_at = 0.0
        self._repainted_at = 0.0
        self._timer: Timer | None = None
        if markdown:
            self.append(markdown)
            self.flush()

    @property
    def source(self) -> str:
        return "".join(self._parts)

    def append(self, fragment: str) -> None:
        """Add text at the end (any cut: mid-word, mid-line, mid-fence)."""
        if not fragment:
            return
        self._parts.append(fragment)
        self._pending.append(fragment)
        if self._timer is not None:
            return
        wait = self._shown_at + REFRESH_EVERY_S - monotonic()
        if wait <= 0 or not self.is_mounted:
            self.flush()
        else:
            self._timer = self.set_timer(wait, self.flush)

    def flush(self) -> None:
        """Show everything appended so far."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self._pending:
            return
        old_total, old_tail_start = self._total, self._starts[-1] if self._starts else 0
        self._tail += "".join(self._pending)
        self._pending.clear()
        settled = len(self._chunks)
        self._settle()
        if len(self._chunks) > settled:
            self._groups.append("\n\n".join(self._chunks[settled:]))
        self._tail_lines = None
        self._shown_at = monotonic()
        if not self._width:
            self.refresh(layout=True)
            return
        total = self._layout_lines(self._width)
        if self._shown_at - self._repainted_at >= FULL_REPAINT_EVERY_S:
            # Now and then drop every cached line (Textual keeps one per line ever drawn).
            self._repainted_at = self._shown_at
            self.refresh(layout=total != old_total)
            return
        # Only the lines from the old tail down changed: repaint just those.
        changed = Region(0, old_tail_start, self._width, max(total, old_total) - old_tail_start)
        self.refresh(changed, layout=total != old_total)

    # ---------------------------------------------------------------- chunks
    def _settle(self) -> None:
        tail = self._tail
        while True:
            end = tail.find("\n", self._scan)
            if end < 0:
                break
            line = tail[self._scan : end]
            start = self._scan
            self._scan = end + 1
            if self._blank_at is not None and line and not line[0].isspace():
                # A blank line, then a line at the left margin: a new top-level block.
                self._chunks.append(tail[: self._blank_at])
                tail = tail[start:]
                self._scan -= start
                self._blank_at = None
            stripped = line.lstrip(" ")
            if len(line) - len(stripped) < 4 and stripped.startswith(_FENCES):
                self._in_fence = not self._in_fence
                self._blank_at = None
            elif self._in_fence:
                continue
            elif not line.strip():
                if self._blank_at is None:
                    self._blank_at = start
            else:
                self._blank_at = None
        self._tail = tail

    # ------------------------------------------------------------- rendering
    def _render_markdown(self, text: str, width: int) -> list[Strip]:
        from rich.markdown import Markdown as RichMarkdown  # loaded by warm_up, off the loop

        console = self.app.console
        options = console.options.update_width(width).update(height=None, highlight=False)
        lines = console.render_lines(
            RichMarkdown(text, hyperlinks=True), options, style=self.rich_style, pad=True
        )
        return [Strip(line, width) for line in lines]

    def _layout_lines(self, width: int) -> int:
        """Render what is missing at ``width``; return the total height in lines."""
        if width <= 0:
            return 0
        if width != self._width:
            self._width = width
            self._heights = []
            self._lines.clear()
            self._cached_lines = 0
            self._tail_lines = None
        elif self._tail_lines is not None and len(self._heights) == len(self._groups):
            return self._total
        while len(self._heights) < len(self._groups):
            index = len(self._heights)
            lines = self._chunk_lines(index)
            self._heights.append(len(lines))
        if self._tail_lines is None:
            self._tail_lines = (
                self._render_markdown(self._tail, width) if self._tail.strip() else []
            )
        self._starts = []
        total = 0
        for height in self._heights:
            self._starts.append(total)
            total += height
        self._starts.append(total)
        self._total = total + len(self._tail_lines)
        return self._total

    def _chunk_lines(self, index: int) -> list[Strip]:
        lines = self._lines.get(index)
        if lines is not None:
            self._lines.move_to_end(index)
            return lines
        lines = self._render_markdown(self._groups[index], self._width)
        lines.append(Strip.blank(self._width, self.rich_style))
        self._lines[index] = lines
        self._cached_lines += len(lines)
        while self._cached_lines > CACHED_LINES and len(self._lines) > 1:
            _, dropped = self._lines.popitem(last=False)
            self._cached_lines -= len(dropped)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._layout_lines(width)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        total = self._layout_lines(width)
        if not 0 <= y < total:
            return Strip.blank(width, self.rich_style)
        index = bisect_right(self._starts, y) - 1
        if index < len(self._heights):
            return self._chunk_lines(index)[y - self._starts[index]]
        assert self._tail_lines is not None
        return self._tail_lines[y - self._starts[-1]]
