"""What an operator watches (Prometheus, served at /metrics in webhook mode)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

UPDATES = Counter("cgt_updates_total", "Updates handled, by kind (text, button, file)", ["kind"])
STEP_SECONDS = Histogram(
    "cgt_step_seconds",
    "Time to handle one update: the conversation step and its save",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
REMINDERS = Counter(
    "cgt_reminders_total", "Reminders by outcome (sent, blocked, dropped, postponed, failed)", ["outcome"]
)
ERRORS = Counter("cgt_errors_total", "Updates whose handling failed")
