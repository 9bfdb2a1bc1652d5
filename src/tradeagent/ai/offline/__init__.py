"""The assistant without a key: deterministic, offline, from the strategy templates."""
