"""Payments admin: arrears files, escalation steps and calls."""
