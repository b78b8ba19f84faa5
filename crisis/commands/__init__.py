"""Thin command modules: each parses its options, calls the core and returns an exit code."""
