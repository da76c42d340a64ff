"""Signals of readership for the apps above it."""

from django.dispatch import Signal

# Sent by the timer's and the scheduler's rollup (never by a beacon's or a page's), after
# it: what readers will ask of the rollups next may be worked out now (reach warms the
# dashboard's past days). Receivers must not raise.
timer_flushed = Signal()
