"""Repairs: repair kinds, questionnaires, requests, photos and appointment blocks."""
