"""tradeagent: a keyboard-driven terminal cockpit for Hummingbot traders."""

__version__ = "0.1.0"
