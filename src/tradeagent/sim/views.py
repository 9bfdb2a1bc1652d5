"""Read-only views of the simulated exchanges: candles, prices, trading rules, balances and
positions, in the shapes the real API returns."""

from __future__ import annotations

import re
from typing import Any

from tradeagent.backtest import Candles
from tradeagent.sim import catalog
from tradeagent.sim.market import CANDLE_S, last_closed_open
from tradeagent.sim.simulator import ApiError, Simulator

_INTERVAL = re.compile(r"^(\d+)([mhdw])$")
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 1440, "w": 10080}
MAX_CANDLES = 100_000


def interval_minutes(interval: str) -> int:
    match = _INTERVAL.fullmatch(interval)
    if match is None or int(match.group(1)) == 0:
        raise ApiError(
            400,
            f"Invalid parameters: interval '{interval}' is not supported; "
            "use e.g. 1m, 5m, 15m, 1h, 4h, 1d",
        )
    return int(match.group(1)) * _UNIT_MINUTES[match.group(2)]


def check_candle_market(connector: str, pair: str) -> None:
    if connector not in catalog.CANDLE_CONNECTORS:
        raise ApiError(
            400,
            f"Unsupported connector '{connector}'. "
            f"Available connectors: {list(catalog.CANDLE_CONNECTORS)}",
        )
    if "-" not in pair:
        raise ApiError(
            400,
            f"Invalid trading pair format '{pair}'. Expected format: BASE-QUOTE (e.g., BTC-USDT)",
        )
    if not catalog.is_listed(connector, pair):
        raise ApiError(
            400,
            f"Trading pair '{pair}' appears to be invalid on '{connector}': "
            f"no such market (quote currency there is {catalog.quote_asset(connector)})",
        )


def candle_rows(candles: Candles) -> list[dict[str, Any]]:
    rows = []
    for ts, o, h, lo, c, v in zip(
        candles.timestamp.tolist(),
        candles.open.tolist(),
        candles.high.tolist(),
        candles.low.tolist(),
        candles.close.tolist(),
        candles.volume.tolist(),
        strict=True,
    ):
        quote_volume = v * c
        rows.append(
            {
                "timestamp": ts,
                "open": o,
                "high": h,
                "low": lo,
                "close": c,
                "volume": v,
                "quote_asset_volume": quote_volume,
                "n_trades": int(v // 3) + 1,
                "taker_buy_base_volume": v / 2,
                "taker_buy_quote_volume": quote_volume / 2,
            }
        )
    return rows


def recent_candles(
    sim: Simulator, connector: str, pair: str, interval: str, count: int
) -> list[dict[str, Any]]:
    check_candle_market(connector, pair)
    step = interval_minutes(interval) * CANDLE_S
    count = max(min(count, MAX_CANDLES * CANDLE_S // step), 1)
    end = (last_closed_open(sim.market_clock.now()) + CANDLE_S) // step * step  # whole buckets
    candles = sim.market.candles(pair, end - count * step, end - CANDLE_S).grouped(step // CANDLE_S)
    if not len(candles):
        raise ApiError(404, "No candles data available")
    return candle_rows(candles)


def historical_candles(
    sim: Simulator, connector: str, pair: str, interval: str, start: int, end: int
) -> list[dict[str, Any]]:
    check_candle_market(connector, pair)
    step = interval_minutes(interval) * CANDLE_S
    until = min(end, last_closed_open(sim.market_clock.now()))
    if (until - start) / CANDLE_S > MAX_CANDLES * 10:
        raise ApiError(400, "Invalid parameters: the time range is too large; ask for less.")
    first = -(-start // step) * step
    last = (until + CANDLE_S) // step * step - CANDLE_S  # whole buckets only
    candles = sim.market.candles(pair, first, last).grouped(step // CANDLE_S)
    if not len(candles):
        raise ApiError(404, "No historical data available")
    return candle_rows(candles)


def prices(sim: Simulator, connector: str, pairs: list[str]) -> dict[str, Any]:
    if not catalog.is_known(connector):
        raise ApiError(500, f"Error fetching prices: connector '{connector}' is not available")
    now = sim.market_clock.now()
    found = {p: sim.market.price(p, now) for p in pairs if catalog.is_listed(connector, p)}
    return {"connector": connector, "prices": found, "timestamp": sim.wall.now()}


def trading_rules(sim: Simulator, connector: str, pairs: list[str] | None) -> dict[str, Any]:
    if not catalog.is_known(connector):
        raise ApiError(404, f"Connector '{connector}' not found or error: unknown connector")
    now = sim.market_clock.now()
    result: dict[str, Any] = {}
    for pair in pairs or catalog.trading_pairs(connector):
        if catalog.is_listed(connector, pair):
            result[pair] = catalog.trading_rule(connector, pair, sim.market.price(pair, now))
        else:
            result[pair] = {"error": f"Trading pair {pair} not found"}
    return result


def _selected(name: str, allowed: list[str] | None) -> bool:
    return allowed is None or name in allowed


def portfolio_state(
    sim: Simulator, accounts: list[str] | None, connectors: list[str] | None
) -> dict[str, Any]:
    """Each account's keyed connectors hold the starting balance plus what its bots made."""
    pnl: dict[tuple[str, str], float] = {}
    margin: dict[tuple[str, str], float] = {}
    for account, made in sim.settled_pnl.items():
        for connector, amount in made.items():
            pnl[(account, connector)] = amount
    for bot in sim.bots.values():
        for controller in bot.controllers.values():
            key = (bot.account, controller.connector_name)
            pnl[key] = pnl.get(key, 0.0) + controller.pnl()
        for controller, trade in bot.active_positions():
            key = (bot.account, controller.connector_name)
            leverage = max(float(controller.config.get("leverage") or 1), 1.0)
            assert trade.fill_price is not None
            margin[key] = margin.get(key, 0.0) + trade.amount * trade.fill_price / leverage
    state: dict[str, Any] = {}
    for account, keyed in sim.accounts.items():
        if not _selected(account, accounts):
            continue
        holdings = {}
        for connector in keyed:
            if not _selected(connector, connectors):
                continue
            units = sim.options.starting_balance + pnl.get((account, connector), 0.0)
            token = catalog.quote_asset(connector)
            available = max(units - margin.get((account, connector), 0.0), 0.0)
            holdings[connector] = [
                {
                    "token": token,
                    "units": units,
                    "price": 1.0,
                    "value": units,
                    "available_units": available,
                }
            ]
        if holdings:
            state[account] = holdings
    return state


def positions(
    sim: Simulator, accounts: list[str] | None, connectors: list[str] | None, limit: int
) -> dict[str, Any]:
    """Open perpetual positions of listed bots, netted per account, connector and pair."""
    net: dict[tuple[str, str, str], list[float]] = {}
    leverage: dict[tuple[str, str, str], float] = {}
    now = sim.market_clock.now()
    for bot in sim.listed_bots():
        for controller, trade in bot.active_positions():
            connector = controller.connector_name
            if not catalog.is_perpetual(connector):
                continue
            if connector not in sim.accounts.get(bot.account, {}):
                continue
            if not (_selected(bot.account, accounts) and _selected(connector, connectors)):
                continue
            assert trade.fill_price is not None
            key = (bot.account, connector, controller.trading_pair)
            mark = sim.market.price(controller.trading_pair, now)
            total = net.setdefault(key, [0.0, 0.0, mark])
            total[0] += trade.side * trade.amount
            total[1] += trade.side * trade.amount * trade.fill_price
            leverage[key] = float(controller.config.get("leverage") or 1)
    rows = []
    for (account, connector, pair), (amount, cost, mark) in net.items():
        if amount == 0:
            continue
        entry = cost / amount
        rows.append(
            {
                "account_name": account,
                "connector_name": connector,
                "trading_pair": pair,
                "side": "LONG" if amount > 0 else "SHORT",
                "amount": abs(amount),
                "entry_price": entry,
                "unrealized_pnl": (mark - entry) * amount,
                "leverage": leverage[(account, connector, pair)],
            }
        )
    page = rows[:limit]
    return {
        "data": page,
        "pagination": {
            "limit": limit,
            "has_more": len(rows) > limit,
            "next_cursor": None,
            "total_count": len(rows),
        },
    }
