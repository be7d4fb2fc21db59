"""Benchmarks: the runner over suites and engines, records, report and plots."""
