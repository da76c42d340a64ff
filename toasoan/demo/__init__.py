"""The demo paper: every app's demo content, loaded by `manage.py load_demo` (the top floor)."""

DEMO_PASSWORD = "toasoan-demo"  # every demo staff account's; printed when the demo loads
