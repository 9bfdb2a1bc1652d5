"""The template picker: choose a template, answer five questions, get a valid draft."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from tradeagent.strategy import (
    COMMON_CONNECTORS,
    EXCHANGES,
    RISK_LEVELS,
    TEMPLATES,
    ConfigError,
    ControllerConfig,
    RiskLevel,
    TemplateInputs,
    build_template,
)

_TYPICAL_PAIR = dict(COMMON_CONNECTORS)


class TemplateScreen(ModalScreen[tuple[str, ControllerConfig] | None]):
    """Returns ``(template key, config)`` or None when cancelled."""

    DEFAULT_CSS = """
    TemplateScreen { align: center middle; }
    #template-dialog { width: 96%; max-width: 130; height: auto; max-height: 95%; }
    #template-body { height: auto; }
    #template-list { width: 44; height: 24; }
    #template-form { width: 1fr; height: 24; padding-left: 2; }
    #template-about { height: auto; margin-bottom: 1; }
    #template-note { color: $text-warning; height: auto; }
    #template-error { color: $text-error; height: auto; }
    .template-row { height: auto; }
    .template-label { width: 11; padding-top: 1; }
    .template-row Input, .template-row Select { width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="template-cancel"),
    ]

    def __init__(
        self, selected: str | None = None, connector: str = "hyperliquid_perpetual"
    ) -> None:
        super().__init__()
        self._selected = selected if selected in TEMPLATES else next(iter(TEMPLATES))
        self._connector = connector

    def compose(self) -> ComposeResult:
        with Vertical(id="template-dialog", classes="dialog"):
            yield Static(
                "New draft from a template · Enter creates · Esc cancels", classes="dialog-title"
            )
            with Horizontal(id="template-body"):
                yield OptionList(
                    *[Option(t.title, id=key) for key, t in TEMPLATES.items()],
                    id="template-list",
                )
                with VerticalScroll(id="template-form"):
                    yield Static("", id="template-about")
                    yield Static("", id="template-note")
                    yield from _row(
                        "Connector",
                        Input(
                            self._connector,
                            placeholder="e.g. hyperliquid_perpetual",
                            suggester=SuggestFromList(sorted(EXCHANGES)),
                            id="template-connector",
                        ),
                    )
                    yield from _row(
                        "Pair",
                        Input(
                            _TYPICAL_PAIR.get(self._connector, ""),
                            placeholder="BASE-QUOTE, e.g. BTC-USD",
                            id="template-pair",
                        ),
                    )
                    yield from _row(
                        "Amount", Input("500", placeholder="quote, e.g. 500", id="template-amount")
                    )
                    yield from _row(
                        "Leverage",
                        Input("", placeholder="blank = default", id="template-leverage"),
                    )
                    yield from _row(
                        "Risk",
                        Select(
                            [(level, level) for level in RISK_LEVELS],
                            value="medium",
                            allow_blank=False,
                            id="template-risk",
                        ),
                    )
                    yield from _row(
                        "Price",
                        Input(
                            "", placeholder="current price, to place the grid", id="template-price"
                        ),
                        row_id="template-price-row",
                    )
                    yield Static("", id="template-error")
                    with Horizontal(classes="dialog-buttons"):
                        yield Button("Create (Enter)", id="template-create", variant="primary")
                        yield Button("Cancel (Esc)", id="template-cancel")

    def on_mount(self) -> None:
        options = self.query_one("#template-list", OptionList)
        options.highlighted = list(TEMPLATES).index(self._selected)
        self._show(self._selected)
        options.focus()

    @on(OptionList.OptionHighlighted, "#template-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._show(event.option.id)

    @on(OptionList.OptionSelected, "#template-list")
    def _selected_option(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#template-connector", Input).focus()

    def _show(self, key: str) -> None:
        self._selected = key
        template = TEMPLATES[key]
        self.query_one("#template-about", Static).update(
            f"[b]{template.title}[/b] · {template.controller_name}\n{template.description}"
        )
        self.query_one("#template-note", Static).update(template.note or "")
        self.query_one("#template-price-row").display = template.needs_price
        self.query_one("#template-error", Static).update("")

    @on(Input.Changed, "#template-connector")
    def _connector_changed(self, event: Input.Changed) -> None:
        pair = self.query_one("#template-pair", Input)
        typical = _TYPICAL_PAIR.get(event.value.strip())
        if typical and (not pair.value or pair.value in _TYPICAL_PAIR.values()):
            pair.value = typical

    @on(Input.Submitted)
    @on(Button.Pressed, "#template-create")
    def _create(self) -> None:
        try:
            inputs = self._inputs()
            config = build_template(self._selected, inputs)
        except ConfigError as error:
            self._error("\n".join(problem.message for problem in error.problems))
            return
        except ValueError as error:
            self._error(str(error))
            return
        self.dismiss((self._selected, config))

    @on(Button.Pressed, "#template-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _error(self, text: str) -> None:
        self.query_one("#template-error", Static).update(f"✘ {text}")

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _inputs(self) -> TemplateInputs:
        connector = self._value("template-connector")
        pair = self._value("template-pair")
        if not connector or not pair:
            raise ValueError("connector and pair are needed, e.g. hyperliquid_perpetual BTC-USD")
        amount = _decimal(self._value("template-amount"), "amount")
        leverage_text = self._value("template-leverage")
        if leverage_text and not leverage_text.isdigit():
            raise ValueError(f"leverage must be a whole number like 3, not {leverage_text!r}")
        price_text = self._value("template-price")
        risk = self.query_one("#template-risk", Select).value
        level: RiskLevel = risk if risk in RISK_LEVELS else "medium"
        return TemplateInputs(
            connector=connector,
            trading_pair=pair,
            amount=amount,
            leverage=int(leverage_text) if leverage_text else None,
            risk=level,
            price=_decimal(price_text, "price") if price_text else None,
        )


def _row(label: str, field: Widget, *, row_id: str | None = None) -> ComposeResult:
    with Horizontal(classes="template-row", id=row_id):
        yield Static(label, classes="template-label")
        yield field


def _decimal(text: str, name: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").removeprefix("$"))
    except InvalidOperation:
        raise ValueError(f"{name} must be a number like 500, not {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"{name} must be a finite number")
    return value
