"""Planned: see README."""
