"""Complaints, the complaints committee, allocation disputes and nuisance reports."""
