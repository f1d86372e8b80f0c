"""Benchmark scripts; `_common` is shared with the browser tests."""
