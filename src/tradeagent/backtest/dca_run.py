"""dman_v3 over the simulated rows: the gate decides which signals open a DCA executor."""

from __future__ import annotations

import numpy as np

from tradeagent.backtest.candles import FloatArray
from tradeagent.backtest.dca import (
    DcaOutcome,
    DcaPlan,
    Planner,
    simulate_hummingbot,
    simulate_realistic,
)
from tradeagent.backtest.dca_batch import settle_time_limited, time_limited
from tradeagent.backtest.execution import Execution
from tradeagent.backtest.gating import gate
from tradeagent.backtest.ledger import NOT_FILLED, Ledger
from tradeagent.backtest.outcomes import time_limit_close
from tradeagent.backtest.params import DcaParams
from tradeagent.backtest.signals import SignalArray
from tradeagent.backtest.tape import Tape


def run_dca(
    params: DcaParams,
    tape: Tape,
    signal: SignalArray,
    band_width: FloatArray,
    execution: Execution,
) -> Ledger:
    """Executors of dman_v3 over the simulated rows, given each row's signal and band width."""
    candidates = np.flatnonzero(signal != 0)
    side_array = signal[candidates].astype(np.int64)
    sides = side_array.tolist()
    rows = candidates.tolist()
    bound = None if params.activation_bound is None else float(params.activation_bound)
    time_limit = params.barrier.time_limit
    outcomes: dict[int, DcaOutcome] = {}
    plans: dict[int, DcaPlan] = {}
    plan = Planner(params)
    closes: list[float] = tape.close.tolist()
    widths: list[float] = band_width.tolist()
    hummingbot = execution.mode == "hummingbot"
    quiet: list[bool] = [False] * len(rows)
    quiet_end: list[int] = []
    if hummingbot:
        # Settled after the gate, together: the gate needs only their time-limit close rows.
        found = time_limited(
            tape,
            candidates,
            side_array,
            band_width[candidates],
            params,
            execution.trade_cost,
        )
        quiet = found.tolist()
        _, limit_ts = time_limit_close(tape, candidates, time_limit)
        quiet_end = tape.first_row_at_or_after(limit_ts, candidates).tolist()

    def terminate(i: int) -> int:
        if quiet[i]:
            return quiet_end[i]
        row, side = rows[i], sides[i]
        executor = plans[i] = plan(side, closes[row], widths[row])
        if hummingbot:
            outcome = simulate_hummingbot(
                tape, row, executor, bound, execution.trade_cost, time_limit
            )
        else:
            outcome = simulate_realistic(
                tape, row, executor, bound, execution.trade_cost, params.leverage, time_limit
            )
        outcomes[i] = outcome
        # first_row_at_or_after for one executor, without building arrays for it
        return max(int(np.searchsorted(tape.timestamp, outcome.close_ts)), row + 1)

    created = gate(
        candidates,
        signal[candidates],
        tape.timestamp[candidates],
        terminate,
        max_per_side=params.max_executors_per_side,
        cooldown=params.cooldown_time,
        shorts_count_longs=execution.shorts_count_longs,
    )
    settled = [i for i in created if quiet[i]]
    for i in settled:
        plans[i] = plan(sides[i], closes[rows[i]], widths[rows[i]])
    batch = settle_time_limited(
        tape,
        [rows[i] for i in settled],
        [plans[i] for i in settled],
        bound,
        execution.trade_cost,
        time_limit,
    )
    outcomes.update(zip(settled, batch, strict=True))
    return _ledger(tape, [rows[i] for i in created], [(plans[i], outcomes[i]) for i in created])


def _ledger(tape: Tape, rows: list[int], executed: list[tuple[DcaPlan, DcaOutcome]]) -> Ledger:
    n = len(rows)
    outcomes = [outcome for _, outcome in executed]
    created = np.asarray(rows, dtype=np.int64)
    quote = np.asarray([o.quote for o in outcomes])
    pnl = np.asarray([o.pnl_quote for o in outcomes])
    close_ts = np.asarray([o.close_ts for o in outcomes], dtype=np.int64)
    first_fill = np.asarray([o.first_fill_row for o in outcomes], dtype=np.int64)
    filled = first_fill != NOT_FILLED
    with np.errstate(invalid="ignore", divide="ignore"):
        average = np.asarray([o.quote / o.base if o.base else np.nan for o in outcomes])
        pct = np.where(quote > 0, pnl / np.where(quote > 0, quote, 1.0), 0.0)
    return Ledger(
        timestamp=tape.timestamp[created],
        side=np.asarray([plan_.side for plan_, _ in executed], dtype=np.int8),
        close_timestamp=close_ts,
        close_type=np.asarray([int(o.close_type) for o in outcomes], dtype=np.int16),
        net_pnl_pct=pct,
        net_pnl_quote=pnl,
        filled_amount_quote=np.asarray([o.turnover for o in outcomes]),
        cum_fees_quote=np.asarray([o.fees for o in outcomes]),
        fill_timestamp=np.where(
            filled, tape.timestamp[np.where(filled, first_fill, 0)], NOT_FILLED
        ).astype(np.int64),
        fill_price=np.where(filled, average, np.nan),
        close_price=np.asarray([o.exit_price for o in outcomes]),
        order_price=[",".join(str(price) for price in plan_.prices) for plan_, _ in executed],
        amount_base=[repr(o.base) for o in outcomes],
        level_id=[""] * n,
        terminated_row=tape.first_row_at_or_after(close_ts, created),
        executor_type="dca_executor",
    )
