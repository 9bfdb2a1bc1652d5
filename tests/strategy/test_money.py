"""Money at risk and the plain-language summary, checked against hand-worked figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from strategy_examples import example

from tradeagent.strategy import describe, money_at_risk, parse_config, risk_line
from tradeagent.strategy.formatting import duration, money, pct


def config(name: str, **changes: Any) -> Any:
    return parse_config({**example(name), **changes})


def test_directional_matches_the_ui_sketch() -> None:
    # $500 over <= 2 positions per side, 1x, stop 2%: every position stopped out loses $20.
    cfg = config("bollinger_v1", total_amount_quote=500, max_executors_per_side=2, leverage=1)
    risk = money_at_risk(cfg)
    assert risk.notional_per_side == Decimal(500)
    assert risk.gross_notional == Decimal(1000)
    assert risk.worst_case_loss == Decimal(20)
    assert risk.orders == (Decimal(250),)
    # Hyperliquid: market entry and market stop, 0.045% taker each.
    assert risk.fee_rate == Decimal("0.0009")
    assert risk.fees == Decimal("0.9")
    assert risk.margin == Decimal(1000)


def test_dca_orders_follow_the_amounts() -> None:
    risk = money_at_risk(config("dman_v3"))
    assert risk.orders == (Decimal(50), Decimal(100), Decimal(150), Decimal(200))
    assert risk.fee_rate == Decimal("0.0006")  # maker entries, taker stop
    assert money_at_risk(config("dman_v3", dynamic_target=True)).worst_case_loss is None


def test_market_making_levels() -> None:
    risk = money_at_risk(config("pmm_simple", buy_amounts_pct=[1, 3], sell_amounts_pct=[2, 2]))
    assert risk.orders == (Decimal(50), Decimal(150), Decimal(100), Decimal(100))
    assert risk.notional_per_side == Decimal(200)
    assert risk.worst_case_loss == Decimal(4)  # $400 x 1%


def test_grid_worst_case_is_the_limit() -> None:
    risk = money_at_risk(config("grid_strike"))
    # Filled grid averages 3000; the limit at 2700 is 10% lower: $600 x 10%.
    assert risk.worst_case_loss == Decimal(60)
    assert money_at_risk(config("grid_strike", keep_position=True)).worst_case_loss is None
    short = money_at_risk(config("grid_strike", side=2, limit_price=3300))
    assert short.worst_case_loss == Decimal(60)


def test_arbitrage_has_no_stop() -> None:
    risk = money_at_risk(config("arbitrage_controller"))
    assert risk.worst_case_loss is None
    assert "one leg" in risk.notes[0]


def test_summary_reads_like_the_sketch() -> None:
    cfg = config(
        "bollinger_v1",
        total_amount_quote=500,
        max_executors_per_side=2,
        leverage=1,
        take_profit=0.03,
        time_limit=2700,
        trailing_stop="0.005,0.002",
    )
    text = describe(cfg)
    assert text.headline == "Bollinger mean-reversion on BTC-USD perpetual (Hyperliquid)"
    assert text.terms == (
        "$500 over ≤ 2 positions per side · 1x · stop 2% · take profit 3% · 45 min limit · "
        "trailing 0.5%/0.2%"
    )
    assert text.signal == "5m candles · BB(100, 2) · long below %B 0, short above 1"
    line = risk_line(money_at_risk(cfg), "USD")
    assert line == (
        "notional $500 per side · worst case if all stop out −$20.00 · "
        "fees ≈ $0.90 (0.09% round trip)"
    )


def test_summaries_of_other_families() -> None:
    assert describe(config("grid_strike")).headline.startswith("Long grid on ETH-USD perpetual")
    assert "between 2800 and 3200, stop at 2700" in describe(config("grid_strike")).terms
    assert "1×NATR/2×NATR/4×NATR" in describe(config("pmm_dynamic")).terms
    arb = describe(config("arbitrage_controller"))
    assert arb.headline == "Arbitrage ETH-USDT (binance) ⇄ ETH-USDT (okx)"
    assert describe(config("pmm_simple")).signal is None


def test_formatting() -> None:
    assert money(Decimal("1234.5")) == "$1,234.50"
    assert money(Decimal(500)) == "$500"
    assert money(Decimal("-20"), signed=True) == "−$20.00"
    assert money(Decimal("0.25"), "ETH") == "0.25 ETH"
    assert pct(Decimal("0.00045")) == "0.045%"
    assert pct(0.16667) == "16.7%"
    assert duration(2700) == "45 min"
    assert duration(5400) == "1 h 30 min"
    assert duration(90) == "90 s"
    assert duration(172800) == "2 d"
