"""Shared Hypothesis strategies and checks for the guarantee tests (tests/test_guarantees_*.py)."""
