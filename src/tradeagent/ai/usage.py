"""Token usage of a reply and what it cost, in one short line for the chat."""

from __future__ import annotations

from dataclasses import dataclass

# USD per million tokens: (input, output). Cache writes cost 1.25x input (5-minute TTL), cache
# reads 0.1x input. Haiku 5.5 is priced for prompts up to 100k tokens, which chat turns are.
PRICES_PER_MTOK: dict[str, tuple[float, float]] = {
    "claude-fable-5-2": (8.0, 40.0),
    "claude-fable-5-1": (10.0, 50.0),
    "claude-opus-5-5": (4.0, 20.0),
    "claude-sonnet-5-5": (2.0, 10.0),
    "claude-haiku-5-5": (0.10, 0.50),
    "claude-haiku-4-5": (1.0, 5.0),
}
CACHE_WRITE_FACTOR = 1.25
CACHE_READ_FACTOR = 0.1


def prices_for(model: str) -> tuple[float, float] | None:
    """Prices of ``model``, also for dated ids such as ``claude-haiku-4-5-20251001``."""
    for known in sorted(PRICES_PER_MTOK, key=len, reverse=True):
        if model == known or model.startswith(known + "-"):
            return PRICES_PER_MTOK[known]
    return None


@dataclass(frozen=True)
class Usage:
    """Tokens of one reply (all its tool rounds), and the cost when the model's prices are known."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float | None = None

    @classmethod
    def of(
        cls,
        model: str,
        *,
        input_tokens: int,
        output_tokens: int,
        cache_read_tokens: int = 0,
        cache_write_tokens: int = 0,
    ) -> Usage:
        prices = prices_for(model)
        cost = None
        if prices is not None:
            per_in, per_out = prices[0] / 1e6, prices[1] / 1e6
            cost = (
                input_tokens * per_in
                + cache_write_tokens * per_in * CACHE_WRITE_FACTOR
                + cache_read_tokens * per_in * CACHE_READ_FACTOR
                + output_tokens * per_out
            )
        return cls(input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost)

    def __add__(self, other: Usage) -> Usage:
        cost = (
            None
            if self.cost_usd is None and other.cost_usd is None
            else (self.cost_usd or 0.0) + (other.cost_usd or 0.0)
        )
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
            cost,
        )

    @property
    def total_input(self) -> int:
        return self.input_tokens + self.cache_read_tokens + self.cache_write_tokens

    def line(self) -> str:
        """``2.1k in (1.8k cached) · 503 out · $0.0062``."""
        parts = [f"{_k(self.total_input)} in"]
        if self.cache_read_tokens:
            parts[0] += f" ({_k(self.cache_read_tokens)} cached)"
        parts.append(f"{_k(self.output_tokens)} out")
        if self.cost_usd is not None:
            parts.append(f"${self.cost_usd:.4f}")
        return " · ".join(parts)

    def to_json(self) -> dict[str, int | float | None]:
        # Keys avoid the word "token": the journal redacts keys that name secrets.
        return {
            "input": self.input_tokens,
            "output": self.output_tokens,
            "cache_read": self.cache_read_tokens,
            "cache_write": self.cache_write_tokens,
            "cost_usd": self.cost_usd,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Usage:
        def count(key: str) -> int:
            value = data.get(key, 0)
            return int(value) if isinstance(value, int | float) else 0

        cost = data.get("cost_usd")
        return cls(
            count("input"),
            count("output"),
            count("cache_read"),
            count("cache_write"),
            float(cost) if isinstance(cost, int | float) else None,
        )


def _k(tokens: int) -> str:
    return f"{tokens / 1000:.1f}k" if tokens >= 1000 else str(tokens)
