"""Payments admin: arrangements and instalments."""
