"""Browser checks: the real app in headless Chromium with every non-local request blocked."""
