"""Widgets of the incident workspace."""
