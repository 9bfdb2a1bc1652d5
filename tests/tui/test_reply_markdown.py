"""The one-widget streamed Markdown: exact text whatever the cuts, blocks never split wrongly."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from tradeagent.tui.widgets.reply_markdown import ReplyMarkdown

TEXT = """## Plan

Buy when price closes below the lower band.

- **entry** at the band
- exit at the mid

  a continuation paragraph of the second item

```python
def stop(price):

    return price * 0.98
```

1. first
2. second

Done.
"""


class Host(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield ReplyMarkdown()


def screen_text(widget: ReplyMarkdown) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def feed(widget: ReplyMarkdown, text: str, size: int) -> None:
    for start in range(0, len(text), size):
        widget.append(text[start : start + size])


async def test_any_cut_of_the_stream_shows_the_same_reply() -> None:
    renders = []
    for size in (1, 3, 7, 40, len(TEXT)):
        app = Host()
        async with app.run_test(size=(80, 40)) as pilot:
            widget = app.query_one(ReplyMarkdown)
            feed(widget, TEXT, size)
            widget.flush()
            await pilot.pause()
            assert widget.source == TEXT
            renders.append(screen_text(widget))
    assert all(render == renders[0] for render in renders)
    shown = "\n".join(renders[0])
    for words in ("Plan", "entry", "a continuation paragraph", "return price * 0.98", "Done."):
        assert words in shown


async def test_blocks_are_never_cut_inside_a_fence_or_an_item() -> None:
    app = Host()
    async with app.run_test(size=(80, 40)):
        widget = app.query_one(ReplyMarkdown)
        feed(widget, TEXT, 5)
        widget.flush()
        chunks = [chunk.strip("\n") for chunk in widget._chunks]
        assert chunks[0] == "## Plan"
        fenced = [c for c in chunks if c.startswith("```")]
        assert fenced == ["```python\ndef stop(price):\n\n    return price * 0.98\n```"]
        assert any("- exit at the mid\n\n  a continuation paragraph" in c for c in chunks)
        assert widget._tail.strip() == "Done."


async def test_the_widget_grows_as_text_arrives_and_re_renders_on_resize() -> None:
    app = Host()
    async with app.run_test(size=(80, 40)) as pilot:
        widget = app.query_one(ReplyMarkdown)
        widget.append("One line.")
        widget.flush()
        await pilot.pause()
        assert widget.size.height == 1
        widget.append("\n\n" + "word " * 60)
        widget.flush()
        await pilot.pause()
        wide = widget.size.height
        assert wide > 3
        await pilot.resize_terminal(40, 40)
        await pilot.pause()
        assert widget.size.height > wide
        assert "One line." in screen_text(widget)[0]


async def test_tokens_faster_than_frames_are_shown_together() -> None:
    app = Host()
    async with app.run_test(size=(80, 40)) as pilot:
        widget = app.query_one(ReplyMarkdown)
        widget.append("first ")
        widget.append("second ")  # within the refresh interval: held back…
        assert widget._pending == ["second "]
        await pilot.pause(0.2)  # …and shown on the next tick
        assert widget._pending == []
        assert screen_text(widget)[0] == "first second"
