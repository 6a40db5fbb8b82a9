"""Lone working and risk concerns: settings and chains, visits, concerns, and their events."""
