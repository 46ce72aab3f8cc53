"""Evaluations and benchmarks. They print figures; tests assert on the same code paths."""
