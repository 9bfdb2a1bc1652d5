"""Fakes of the outside world that speak real protocols on loopback (tests and bench share them)."""
